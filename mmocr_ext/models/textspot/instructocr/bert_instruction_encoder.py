# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""A frozen BERT that encodes InstructOCR's instruction strings."""
import os.path as osp
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn as nn
from mmengine.logging import MMLogger
from mmengine.model import BaseModule
from mmocr.registry import MODELS
from mmocr.utils.typing_utils import OptMultiConfig
from torch import Tensor
from transformers import BertConfig, BertModel, BertTokenizerFast
from transformers.initialization import no_init_weights

#: Weight files looked for, in this order, in a ``pretrained`` folder.
BERT_WEIGHT_FILES = ('model.safetensors', 'pytorch_model.bin')
#: Checkpoint keys (after stripping ``bert.``) deliberately not loaded.
_SKIPPED_PREFIXES = ('cls.', 'pooler.', 'embeddings.position_ids')


def build_bert_tokenizer(path: str,
                         do_lower_case: bool = True) -> BertTokenizerFast:
    """A WordPiece BERT tokenizer built offline from a ``vocab.txt``.

    Args:
        path (str): A ``vocab.txt`` (one token a line, line i = id i) or a
            folder holding one.
        do_lower_case (bool): Lower-case and strip accents (the "uncased"
            models). Defaults to True.

    Returns:
        BertTokenizerFast: Adds ``[CLS]`` / ``[SEP]``; ``[PAD]`` pads.

    Raises:
        FileNotFoundError: If there is no vocab file.
        ValueError: If the vocab lacks a BERT special token.
    """
    vocab_file = osp.join(path, 'vocab.txt') if osp.isdir(path) else path
    if not osp.isfile(vocab_file):
        raise FileNotFoundError(f'BERT vocab file not found: {vocab_file}')
    vocab: Dict[str, int] = OrderedDict()
    with open(vocab_file, encoding='utf-8') as f:
        for line in f:
            vocab.setdefault(line.rstrip('\n'), len(vocab))
    missing = [
        t for t in ('[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]')
        if t not in vocab
    ]
    if missing:
        raise ValueError(f'{vocab_file}: missing special tokens {missing}')
    # transformers 5 takes the vocab itself (``vocab_file=`` is ignored).
    tokenizer = BertTokenizerFast(vocab=vocab, do_lower_case=do_lower_case)
    if len(tokenizer) != len(vocab):
        raise RuntimeError(f'{vocab_file}: tokenizer has {len(tokenizer)} '
                           f'tokens, the file {len(vocab)}')
    return tokenizer


def convert_bert_state_dict(
        state_dict: Dict[str, Tensor]) -> Dict[str, Tensor]:
    """Map a HF BERT checkpoint onto ``BertModel`` (no pooler) keys.

    Strips ``bert.``, drops ``cls.*`` (pre-training heads), ``pooler.*``
    (unused) and the ``embeddings.position_ids`` buffer, and renames old
    LayerNorm names ``gamma`` / ``beta`` to ``weight`` / ``bias``.

    Args:
        state_dict (dict[str, Tensor]): E.g. bert-base-uncased's
            ``model.safetensors`` (``bert.embeddings.*``,
            ``bert.encoder.layer.N.*``, ``bert.pooler.*``, ``cls.*``).

    Returns:
        dict[str, Tensor]: Keys of ``BertModel(add_pooling_layer=False)``.
    """
    out = {}
    for key, value in state_dict.items():
        if key.startswith('bert.'):
            key = key[len('bert.'):]
        if key.startswith(_SKIPPED_PREFIXES):
            continue
        if key.endswith('LayerNorm.gamma'):
            key = key[:-len('gamma')] + 'weight'
        elif key.endswith('LayerNorm.beta'):
            key = key[:-len('beta')] + 'bias'
        out[key] = value
    return out


@MODELS.register_module()
class BertInstructionEncoder(BaseModule):
    """Frozen BERT + a trainable projection, for instruction strings.

    InstructOCR's instruction encoder (spec B2): a HF ``BertModel``
    (bert-base-uncased in the paper) reads the instruction tokenised to
    ``max_length`` tokens (``[CLS] ... [SEP]``, then ``[PAD]``; longer ones
    truncated with a logged warning, once per string), and its last hidden
    state goes through ``text_projection``, a bare (hidden, proj_dim)
    parameter used as ``x @ P`` (the official key layout).

    BERT is frozen and always in eval mode. As in the official code it is
    **not** part of the module tree: it has no keys in ``state_dict`` (so
    checkpoints stay small and match the official ones, whose only key of
    this module is ``text_projection``), no parameters in
    ``parameters()`` (so optimizers and DDP never see it), and
    ``train()`` does not switch it out of eval mode. ``_apply`` is
    overridden so ``model.to(device)``, ``.cuda()``, ``.half()`` etc. still
    move it. Its weights come from ``pretrained``, loaded by
    :meth:`init_weights` or, if that was never called (e.g. a runner that
    only tests), at the first forward; never at build time. Without
    ``pretrained`` BERT stays randomly initialised (tests only).

    BERT runs under ``torch.no_grad()`` with autocast disabled, so its
    outputs are deterministic per string; they are kept in an LRU cache of
    ``cache_size`` strings (cleared whenever the module is moved/cast or
    BERT is reloaded).

    Args:
        tokenizer_dir (str): Folder holding ``vocab.txt`` (or the file).
            Defaults to 'data/tokenizers/bert-base-uncased' (in the repo).
        bert_config (dict, optional): ``BertConfig`` keyword arguments.
            Defaults to None (``BertConfig()`` = bert-base-uncased sizes:
            vocab 30522, hidden 768, 12 layers, 12 heads, FFN 3072, 512
            positions, 2 token types).
        pretrained (str, optional): A HF BERT folder (with
            ``model.safetensors`` or ``pytorch_model.bin``) or such a file.
            Defaults to None.
        proj_dim (int): Output channels. Defaults to 256.
        max_length (int): Tokens per instruction. Defaults to 77.
        use_attention_mask (bool): Pass the padding mask to BERT. The
            official model does not (``[PAD]`` is attended). Defaults to
            False.
        cache_size (int): Strings whose BERT outputs are cached; 0
            disables the cache. Defaults to 128.
        proj_init_std (float): Std of the normal init of
            ``text_projection``. Defaults to ``512 ** -0.5`` (official).
        do_lower_case (bool): Tokenizer lower-casing. Defaults to True.
        init_cfg (dict or list[dict], optional): Initialization config.
            Defaults to None.
    """

    def __init__(self,
                 tokenizer_dir: str = 'data/tokenizers/bert-base-uncased',
                 bert_config: Optional[dict] = None,
                 pretrained: Optional[str] = None,
                 proj_dim: int = 256,
                 max_length: int = 77,
                 use_attention_mask: bool = False,
                 cache_size: int = 128,
                 proj_init_std: float = 512**-0.5,
                 do_lower_case: bool = True,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.tokenizer = build_bert_tokenizer(tokenizer_dir, do_lower_case)
        config = BertConfig(**(bert_config or {}))
        if len(self.tokenizer) > config.vocab_size:
            raise ValueError(f'{tokenizer_dir}: {len(self.tokenizer)} tokens '
                             f'> BERT vocab_size {config.vocab_size}')
        if max_length > config.max_position_embeddings:
            raise ValueError(f'max_length={max_length} > BERT\'s '
                             f'{config.max_position_embeddings} positions')
        if pretrained is None:
            bert = BertModel(config, add_pooling_layer=False)
        else:
            # The weights are loaded from ``pretrained`` before any use
            # (init_weights, else the first forward): skip the random
            # initialisation (2 s for bert-base on a CPU).
            with no_init_weights():
                bert = BertModel(config, add_pooling_layer=False)
        bert.requires_grad_(False)
        # A plain attribute, not a submodule (see the class docstring).
        object.__setattr__(self, 'bert', bert.eval())
        self.pretrained = pretrained
        self._bert_loaded = pretrained is None
        self.max_length = max_length
        self.use_attention_mask = use_attention_mask
        self.cache_size = cache_size
        self._cache: 'OrderedDict[str, Tensor]' = OrderedDict()
        self._warned: set = set()
        self.text_projection = nn.Parameter(
            torch.empty(config.hidden_size, proj_dim))
        nn.init.normal_(self.text_projection, std=proj_init_std)

    def extra_repr(self) -> str:
        cfg = self.bert.config
        return (f'bert=BertModel(hidden={cfg.hidden_size}, '
                f'layers={cfg.num_hidden_layers}, frozen, not saved), '
                f'pretrained={self.pretrained}, max_length={self.max_length}')

    def _apply(self, fn, *args, **kwargs):
        super()._apply(fn, *args, **kwargs)
        self.bert._apply(fn, *args, **kwargs)
        self._cache.clear()
        return self

    def train(self, mode: bool = True) -> 'BertInstructionEncoder':
        """Set the train mode of the module; BERT stays in eval mode."""
        super().train(mode)
        self.bert.eval()
        return self

    def init_weights(self) -> None:
        """Apply ``init_cfg``, then load the BERT weights (``pretrained``).

        Raises:
            FileNotFoundError: If ``pretrained`` does not exist.
        """
        super().init_weights()
        if self.pretrained is not None:
            self.load_bert(self.pretrained)

    def load_bert(self, path: str) -> None:
        """Load HF BERT weights into the frozen BERT.

        Args:
            path (str): A HF BERT folder or weight file
                (``.safetensors`` or a ``torch.save`` file).

        Raises:
            FileNotFoundError: If no weight file is found at ``path``.
            ValueError: If BERT weights are missing from the file.
        """
        if osp.isdir(path):
            files = [osp.join(path, f) for f in BERT_WEIGHT_FILES]
            found = [f for f in files if osp.isfile(f)]
            if not found:
                raise FileNotFoundError(
                    f'BERT weights not found: none of {files}')
            path = found[0]
        elif not osp.isfile(path):
            raise FileNotFoundError(f'BERT weights not found: {path}')
        if path.endswith('.safetensors'):
            from safetensors.torch import load_file
            state_dict = load_file(path)
        else:
            state_dict = torch.load(
                path, map_location='cpu', weights_only=True)
        missing, unexpected = self.bert.load_state_dict(
            convert_bert_state_dict(state_dict), strict=False)
        if missing:
            raise ValueError(f'{path}: BERT weights missing {missing}')
        logger = MMLogger.get_current_instance()
        if unexpected:
            logger.warning(f'{path}: ignored unexpected BERT keys '
                           f'{unexpected}')
        logger.info(f'BertInstructionEncoder: loaded BERT from {path}')
        self._bert_loaded = True
        self._cache.clear()

    def _warn_truncation(self, texts: Sequence[str]) -> None:
        """Log (once per string) the instructions that get truncated."""
        new = [t for t in texts if t not in self._warned]
        if not new:
            return
        lengths = [len(ids) for ids in self.tokenizer(new)['input_ids']]
        for text, length in zip(new, lengths):
            if length > self.max_length:
                self._warned.add(text)
                MMLogger.get_current_instance().warning(
                    f'instruction of {length} tokens truncated to '
                    f'{self.max_length}: {text!r}')

    def _run_bert(self, texts: List[str]) -> Tensor:
        """BERT's last hidden state (N, max_length, hidden) for ``texts``."""
        self._warn_truncation(texts)
        enc = self.tokenizer(
            texts,
            padding='max_length',
            truncation=True,
            max_length=self.max_length,
            return_tensors='pt')
        device = self.text_projection.device
        inputs = dict(input_ids=enc['input_ids'].to(device))
        if self.use_attention_mask:
            inputs['attention_mask'] = enc['attention_mask'].to(device)
        with torch.no_grad(), torch.autocast(device.type, enabled=False):
            return self.bert(**inputs).last_hidden_state

    def encode_text(self, instructions: Sequence[str]) -> Tensor:
        """Frozen BERT features of the instructions (cached per string).

        Args:
            instructions (Sequence[str]): B instruction strings.

        Returns:
            Tensor: BERT's last hidden state (B, max_length, hidden),
            without gradient.
        """
        if isinstance(
                instructions,
                str) or not all(isinstance(t, str) for t in instructions):
            raise TypeError('instructions must be a list of str, got '
                            f'{instructions!r}')
        if not self._bert_loaded:
            self.load_bert(self.pretrained)
        misses = list(
            OrderedDict.fromkeys(t for t in instructions
                                 if t not in self._cache))
        fresh = dict(zip(misses, self._run_bert(misses))) if misses else {}
        feats = []
        for text in instructions:
            if text in fresh:
                feat = fresh[text]
            else:
                feat = self._cache[text]
                if feat.is_inference() and \
                        not torch.is_inference_mode_enabled():
                    feat = feat.clone()  # usable by autograd from now on
                self._cache.move_to_end(text)
            if self.cache_size > 0:
                self._cache[text] = feat
            feats.append(feat)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return torch.stack(feats)

    def forward(self,
                instructions: Sequence[str],
                device: Optional[torch.device] = None) -> Tensor:
        """Encode and project the instructions.

        Args:
            instructions (Sequence[str]): B instruction strings (already
                formatted, e.g. ``'<all text><a photo of text>'``).
            device (torch.device, optional): Device of the output. Defaults
                to None (the module's device).

        Returns:
            Tensor: Text features (B, max_length, proj_dim).
        """
        feats = self.encode_text(instructions)
        out = feats.to(self.text_projection.dtype) @ self.text_projection
        return out if device is None else out.to(device)
