# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""E2STR: in-context scene text recognizer (CVPR 2024), mmocr recognizer."""
import logging
import random
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmengine.logging import MessageHub, print_log
from mmocr.models.textrecog.recognizers.base import BaseRecognizer
from mmocr.registry import MODELS
from mmocr.structures import TextRecogDataSample

from .e2str_generation import beam_decode
from .e2str_tokenizer import CHUNK_TOKEN, IMAGE_TOKEN, unencodable_chars
from .icl_sequence import pack_icl_sequence

Sequences = List[Tuple[List[torch.Tensor], List[str]]]


@MODELS.register_module()
class E2STR(BaseRecognizer):
    """ViT -> Perceiver resampler -> LM with gated cross-attention.

    Training (``train_mode``):

    - ``'plain'`` (stage 1): each image is one ``<image>TEXT<|endofchunk|>``
      sequence.
    - ``'icl'`` (stage 2, in-context training): the images of a batch
      (or of each group of ``icl_train_cfg.samples_per_sequence``), plus
      their split and transformed views made by the data pipeline
      (:class:`~mmocr_ext.datasets.transforms.E2STRICLViews`), are packed
      into one long sequence with the budgets of
      :func:`~.icl_sequence.pack_icl_sequence`.

    Inference: with an in-context pool (``icl_test_cfg.pool`` or
    :meth:`set_pool`), the ``k`` most similar pool crops (cosine of the
    mean Perceiver latent) are put before the query as demonstrations;
    all queries of a batch are decoded together (left padding), greedy or
    beam search.

    Args:
        vision_encoder (dict): E.g. :class:`E2STRViT`.
        perceiver (dict): :class:`PerceiverResampler`.
        language_model (dict): :class:`E2STRLanguageModel`.
        postprocessor (dict): :class:`E2STRPostprocessor`.
        train_vision (bool): Train the ViT (the official OpenFlamingo ran
            it under ``no_grad`` by accident). Defaults to True.
        train_mode (str): ``'plain'`` or ``'icl'``. Defaults to 'plain'.
        icl_train_cfg (dict, optional): ``max_images`` (80),
            ``samples_per_sequence`` (None: the whole batch, as the
            official code).
        icl_test_cfg (dict, optional): ``pool`` (a pool file or
            annotation file, see :class:`~.InContextPool`; None: no
            in-context demonstrations), ``pipeline`` (the test pipeline,
            to read pool images exactly as queries), ``cache_dir``, ``k``
            (2), ``candidates`` (20).
        decode_cfg (dict, optional): ``num_beams`` (3), ``max_new_tokens``
            (48), ``length_penalty`` (1.0), ``use_cache`` (True).
        data_preprocessor (dict, optional): mmocr
            ``TextRecogDataPreprocessor``.
        init_cfg (dict, optional): Defaults to None.
    """

    def __init__(self,
                 vision_encoder: Dict,
                 perceiver: Dict,
                 language_model: Dict,
                 postprocessor: Dict = dict(type='E2STRPostprocessor'),
                 train_vision: bool = True,
                 train_mode: str = 'plain',
                 icl_train_cfg: Optional[Dict] = None,
                 icl_test_cfg: Optional[Dict] = None,
                 decode_cfg: Optional[Dict] = None,
                 data_preprocessor: Optional[Dict] = None,
                 init_cfg=None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if train_mode not in ('plain', 'icl'):
            raise ValueError(f"train_mode must be 'plain' or 'icl', got "
                             f'{train_mode!r}')
        self.vision_encoder = MODELS.build(vision_encoder)
        self.perceiver = MODELS.build(perceiver)
        self.language_model = MODELS.build(language_model)
        self.postprocessor = MODELS.build(postprocessor)
        self.train_vision = train_vision
        self.vision_encoder.requires_grad_(train_vision)
        if train_vision and hasattr(self.vision_encoder, 'train_final_norm'):
            self.vision_encoder.norm.requires_grad_(
                self.vision_encoder.train_final_norm)
        self.train_mode = train_mode
        self.icl_train_cfg = dict(
            dict(max_images=80, samples_per_sequence=None),
            **(icl_train_cfg or {}))
        self.icl_test_cfg = dict(
            dict(pool=None, pipeline=None, cache_dir=None, k=2, candidates=20),
            **(icl_test_cfg or {}))
        self.decode_cfg = dict(
            dict(
                num_beams=3,
                max_new_tokens=48,
                length_penalty=1.0,
                use_cache=True), **(decode_cfg or {}))
        self._pool = None
        self._rng = random.Random()

    # ------------------------------------------------------------ features
    @property
    def tokenizer(self):
        """The LM tokenizer."""
        return self.language_model.tokenizer

    def normalize(self, images: torch.Tensor) -> torch.Tensor:
        """uint8 (N, 3, H, W) in pipeline channel order -> network input,
        exactly as the data preprocessor treats ``inputs``."""
        dp = self.data_preprocessor
        x = images.to(dp.device).float()
        if getattr(dp, '_channel_conversion', False):
            x = x[:, [2, 1, 0]]
        if getattr(dp, '_enable_normalize', False):
            x = (x - dp.mean) / dp.std
        return x

    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """Latents of each image.

        Args:
            inputs (Tensor): (N, 3, H, W) normalised crops.

        Returns:
            Tensor: (N, num_latents, D).
        """
        if self.train_vision and self.training:
            tokens = self.vision_encoder(inputs)
        else:
            with torch.set_grad_enabled(self.train_vision
                                        and torch.is_grad_enabled()):
                tokens = self.vision_encoder(inputs)
        return self.perceiver(tokens[:, None])[:, 0]

    def pooled_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """Retrieval feature: L2-normalised mean latent, (N, D)."""
        return F.normalize(self.extract_feat(inputs).mean(dim=1), dim=-1)

    # ---------------------------------------------------------------- loss
    def _check_text(self, text: str, sample: TextRecogDataSample) -> bool:
        bad = unencodable_chars(self.tokenizer, text)
        if not bad and text:
            return True
        counter = MessageHub.get_current_instance()
        skipped = counter.get_info('e2str/skipped_labels', 0) + 1
        counter.update_info('e2str/skipped_labels', skipped)
        reason = (f'characters {bad} the tokenizer cannot encode'
                  if bad else 'an empty label')
        print_log(
            f'E2STR: skipped {sample.get("img_path", "<no img_path>")}: '
            f'label {text!r} has {reason} ({skipped} skipped so far)',
            logger='current',
            level=logging.WARNING)
        return False

    def _plain_sequences(
            self, inputs: torch.Tensor,
            data_samples: Sequence[TextRecogDataSample]) -> Sequences:
        return [([inputs[i]], [s.gt_text.item])
                for i, s in enumerate(data_samples)]

    def _icl_sequences(
            self, inputs: torch.Tensor,
            data_samples: Sequence[TextRecogDataSample]) -> Sequences:
        group = self.icl_train_cfg['samples_per_sequence'] or len(inputs)
        sequences = []
        for start in range(0, len(inputs), group):
            samples = data_samples[start:start + group]
            images = [inputs[start + i] for i in range(len(samples))]
            texts = [s.gt_text.item for s in samples]
            views: Dict[str, List[Tuple[torch.Tensor, str]]] = dict(
                split=[], transform=[])
            for s in samples:
                imgs = s.metainfo.get('icl_imgs')
                if imgs is None or len(imgs) == 0:
                    continue
                imgs = self.normalize(imgs)
                for img, text, kind in zip(imgs, s.metainfo['icl_texts'],
                                           s.metainfo['icl_kinds']):
                    views[kind].append((img, text))
            order = pack_icl_sequence(
                len(images), list(range(len(views['split']))),
                list(range(len(views['transform']))),
                self.icl_train_cfg['max_images'], self._rng)
            seq_imgs, seq_texts = [], []
            for kind, idx in order:
                img, text = ((images[idx], texts[idx])
                             if kind == 'orig' else views[kind][idx])
                seq_imgs.append(img)
                seq_texts.append(text)
            sequences.append((seq_imgs, seq_texts))
        return sequences

    def _media(self, images: List[List[torch.Tensor]]) -> torch.Tensor:
        """Latents of ragged image lists -> (S, T_max, m, D), zero-padded
        (padding is never attended: no ``<image>`` token points at it)."""
        flat = torch.stack([img for seq in images for img in seq])
        latents = self.extract_feat(flat)
        t_max = max(len(seq) for seq in images)
        media = latents.new_zeros(len(images), t_max, *latents.shape[1:])
        k = 0
        for i, seq in enumerate(images):
            media[i, :len(seq)] = latents[k:k + len(seq)]
            k += len(seq)
        return media

    def loss(self, inputs: torch.Tensor,
             data_samples: Sequence[TextRecogDataSample],
             **kwargs) -> Dict[str, torch.Tensor]:
        """Next-token loss over text tokens and end-of-chunk tokens.

        Samples whose label the tokenizer cannot encode (or empty labels)
        are skipped with a logged, counted warning naming the image.
        """
        keep = [
            i for i, s in enumerate(data_samples)
            if self._check_text(s.gt_text.item, s)
        ]
        if len(keep) < len(data_samples):
            inputs = inputs[keep]
            data_samples = [data_samples[i] for i in keep]
        if not keep:  # nothing to learn from: a zero loss with a graph
            zero = sum(p.sum() * 0. for p in self.parameters()
                       if p.requires_grad)
            return dict(loss=zero)
        build = (
            self._icl_sequences
            if self.train_mode == 'icl' else self._plain_sequences)
        sequences = build(inputs, data_samples)
        media = self._media([imgs for imgs, _ in sequences])
        prompts = [
            ''.join(f'{IMAGE_TOKEN}{t}{CHUNK_TOKEN}' for t in texts)
            for _, texts in sequences
        ]
        enc = self.language_model.tokenize(prompts, inputs.device)
        loss = self.language_model.loss(enc['input_ids'],
                                        enc['attention_mask'], media)
        return dict(loss=loss)

    # ------------------------------------------------------------- predict
    def set_pool(self, pool) -> None:
        """Use ``pool`` (an :class:`InContextPool`, a path understood by
        :meth:`InContextPool.load_or_build`, or None to switch in-context
        demonstrations off) for the next predictions."""
        if pool is None or not isinstance(pool, str):
            self._pool = pool
            self.icl_test_cfg['pool'] = None if pool is None else 'object'
        else:
            self.icl_test_cfg['pool'] = pool
            self._pool = None

    def get_pool(self):
        """The in-context pool, loaded (or built) once per process."""
        if self._pool is None and self.icl_test_cfg['pool'] not in (None,
                                                                    'object'):
            from .icl_pool import InContextPool
            cfg = self.icl_test_cfg
            self._pool = InContextPool.load_or_build(cfg['pool'], self,
                                                     cfg['pipeline'],
                                                     cfg['cache_dir'])
        return self._pool

    def _prompts(self,
                 latents: torch.Tensor) -> Tuple[List[str], torch.Tensor]:
        pool = self.get_pool()
        k = int(self.icl_test_cfg['k'])
        if pool is None or k <= 0:
            return [IMAGE_TOKEN] * len(latents), latents[:, None]
        query = F.normalize(latents.mean(dim=1), dim=-1)
        index = pool.retrieve(query, k, self.icl_test_cfg['candidates'])
        demos = self.extract_feat(
            self.normalize(pool.images[index.flatten().cpu()]))
        demos = demos.view(len(latents), index.shape[1], *demos.shape[1:])
        media = torch.cat([demos, latents[:, None]], dim=1)
        prompts = [
            ''.join(f'{IMAGE_TOKEN}{pool.texts[j]}{CHUNK_TOKEN}'
                    for j in row) + IMAGE_TOKEN for row in index.tolist()
        ]
        return prompts, media

    def predict(self, inputs: torch.Tensor,
                data_samples: Sequence[TextRecogDataSample],
                **kwargs) -> Sequence[TextRecogDataSample]:
        """Recognise a batch (with demonstrations when a pool is set).

        Returns:
            list[TextRecogDataSample]: ``pred_text.item`` / ``.score``.
        """
        latents = self.extract_feat(inputs)
        prompts, media = self._prompts(latents)
        enc = self.language_model.tokenize(prompts, inputs.device)
        cfg = self.decode_cfg
        hyps = beam_decode(
            self.language_model,
            enc['input_ids'],
            enc['attention_mask'],
            media,
            num_beams=cfg['num_beams'],
            max_new_tokens=cfg['max_new_tokens'],
            length_penalty=cfg['length_penalty'],
            use_cache=cfg['use_cache'])
        return self.postprocessor(hyps, data_samples, self.tokenizer)

    def _forward(self,
                 inputs: torch.Tensor,
                 data_samples: Optional[Sequence[TextRecogDataSample]] = None,
                 **kwargs) -> Union[torch.Tensor, Tuple[torch.Tensor]]:
        """Latents (N, m, D), or, when every sample has a label, the
        teacher-forced logits (N, L, V) of the plain sequences."""
        latents = self.extract_feat(inputs)
        if not data_samples or not all('gt_text' in s for s in data_samples):
            return latents
        prompts = [
            f'{IMAGE_TOKEN}{s.gt_text.item}{CHUNK_TOKEN}' for s in data_samples
        ]
        enc = self.language_model.tokenize(prompts, inputs.device)
        logits, _ = self.language_model(enc['input_ids'],
                                        enc['attention_mask'], latents[:,
                                                                       None])
        return logits
