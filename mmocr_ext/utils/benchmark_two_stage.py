# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Two-stage (Mask R-CNN / I3CL) cells of ``tools/benchmark.py``.

A Mask R-CNN's cost depends on how many boxes survive each stage, which
with random weights is arbitrary. :func:`fix_workload` therefore patches
the test cfg of every model identically: the RPN NMS and the R-CNN NMS
suppress nothing (``iou_threshold=1.0``; the NMS still runs on the same
number of boxes) and the R-CNN ``score_thr`` is 0, so every image yields
exactly ``rpn.max_per_img`` proposals (1000, mmdet's value: the box head
runs on 1000 RoIs) and exactly ``detections`` detections (the mask RoI
extractor, the inter-instance module, the mask head and the mask paste run
on that many RoIs). The counts observed are recorded per cell.

What is timed: the mmdet detector's ``predict(inputs, data_samples,
rescale=True)`` (backbone, neck, intra-instance blocks, RPN head, proposal
decoding + NMS, box head, R-CNN NMS, mask head (+ inter-instance module),
mask paste to the image size). mmocr's mask-to-polygon conversion
(``MMDetWrapper.adapt_predictions``, OpenCV contours of every mask) is not
timed, as DBNet's post-processing is not: it is the same for all models
and depends on the random masks.
"""
import os.path as osp
import statistics
import time
from typing import Callable, Dict, List, Optional, Tuple

MASK_RCNN_R50 = ('mmocr::textdet/maskrcnn/'
                 'mask-rcnn_resnet50_fpn_160e_ctw1500.py')
I3CL_R50 = 'configs/textdet/i3cl/_base_i3cl_resnet50_fpn.py'
I3CL_VITAE = 'configs/textdet/i3cl/_base_i3cl_vitaev2-s_fpn.py'


def _switches(intra: bool, inter: bool) -> Dict:
    return {
        'model.cfg.intracl_on': intra,
        'model.cfg.roi_head.intercl_on': inter
    }


def i3cl_preset(repo: str) -> List[Tuple[str, str, Dict]]:
    """``(name, config, cfg options)`` of the I3CL comparison.

    mmocr's Mask R-CNN R50-FPN first (the baseline of the ratios), then
    I3CL-R50 with no / each / both additions, then I3CL-ViTAEv2-S. Without
    ``configs/textdet/i3cl/_base_i3cl_vitaev2-s_fpn.py`` the latter is the
    R50 config with the backbone replaced by ``ViTAEv2WindowNoShift``
    (ViTAEv2-S defaults) and the FPN inputs set to its widths.
    """
    r50 = osp.join(repo, I3CL_R50)
    vitae = osp.join(repo, I3CL_VITAE)
    if osp.exists(vitae):
        vitae_spec = (vitae, {})
    else:
        vitae_spec = (r50, {
            'model.cfg.backbone':
            dict(_delete_=True, type='ViTAEv2WindowNoShift'),
            'model.cfg.neck.in_channels': [64, 128, 256, 512]
        })
    return [
        ('mask-rcnn-r50', MASK_RCNN_R50, {}),
        ('i3cl-r50-off', r50, _switches(False, False)),
        ('i3cl-r50-intra', r50, _switches(True, False)),
        ('i3cl-r50-inter', r50, _switches(False, True)),
        ('i3cl-r50', r50, _switches(True, True)),
        ('i3cl-vitaev2-s', *vitae_spec),
    ]


def fix_workload(model_cfg, detections: int) -> Optional[Dict]:
    """Patch a two-stage model cfg (mmocr wrapper or bare mmdet detector)
    in place so every image gives ``rpn.max_per_img`` proposals and exactly
    ``detections`` detections (see the module docstring).

    Returns:
        dict | None: The patched ``test_cfg`` (plain dict), or None when the
        model has no R-CNN test cfg (not a two-stage detector).
    """
    det = model_cfg.get('cfg', model_cfg)
    test_cfg = det.get('test_cfg') or {}
    if not test_cfg.get('rcnn'):
        return None
    rpn, rcnn = test_cfg.get('rpn'), test_cfg['rcnn']
    if rpn:
        rpn['nms'] = dict(rpn.get('nms') or {}, iou_threshold=1.0)
    rcnn.update(score_thr=0.0, max_per_img=detections)
    rcnn['nms'] = dict(rcnn.get('nms') or dict(type='nms'), iou_threshold=1.0)
    return test_cfg.to_dict() if hasattr(test_cfg, 'to_dict') else test_cfg


def detector(model):
    """The mmdet detector inside an mmocr ``MMDetWrapper`` (or ``model``)."""
    return getattr(model, 'wrapped_model', model)


def is_two_stage(model) -> bool:
    """Whether ``model`` is (wraps) a detector with an RoI head."""
    return hasattr(detector(model), 'roi_head')


def _sync(device: str) -> None:
    if device.startswith('cuda'):
        import torch
        torch.cuda.synchronize(device)


def predict_runner(model, batch: int, shape: List[int], device: str,
                   stats: Dict) -> Callable[[], None]:
    """A callable running ``predict`` on ``batch`` random images of
    ``shape`` (H, W); each call stores the detections per image of that
    call in ``stats['detections_per_image']``."""
    import torch
    from mmdet.structures import DetDataSample

    det = detector(model)
    inputs = torch.randn(batch, 3, *shape, device=device)
    meta = dict(
        img_shape=tuple(shape),
        ori_shape=tuple(shape),
        pad_shape=tuple(shape),
        batch_input_shape=tuple(shape),
        scale_factor=(1.0, 1.0))

    def run() -> None:
        samples = [DetDataSample(metainfo=meta) for _ in range(batch)]
        results = det.predict(inputs, samples, rescale=True)
        stats['detections_per_image'] = [
            len(r.pred_instances) for r in results
        ]

    return run


def component_timer(model, device: str, stats: Dict) -> Dict[str, List]:
    """Time the parts of a two-stage detector during ``predict``.

    Forward hooks on ``backbone``, ``neck``, each intra-instance block
    (``intra_cl_module.{i}``) and ``roi_head.inter_cl_module``; wrapped
    methods for ``rpn_head`` (``predict``: head, decoding, NMS; it also
    stores ``stats['proposals_per_image']``), ``roi_head`` (``predict``),
    ``roi_head.bbox`` (``predict_bbox``: box head on the proposals, R-CNN
    NMS) and ``roi_head.mask`` (``predict_mask``: mask RoIs,
    inter-instance module, mask head, paste). Summarise with
    :func:`summarise`.
    """
    times: Dict[str, List[float]] = {}
    det = detector(model)

    def start(*_, **__) -> float:
        _sync(device)
        return time.perf_counter()

    def stop(key: str, begin: float) -> None:
        _sync(device)
        times.setdefault(key, []).append(time.perf_counter() - begin)

    def hook(key: str, module) -> None:

        def pre(mod, args):
            mod._bench_start = start()

        def post(mod, args, out):
            stop(key, mod._bench_start)

        module.register_forward_pre_hook(pre)
        module.register_forward_hook(post)

    def wrap(key: str, obj, method: str, on_result=None) -> None:
        orig = getattr(obj, method)

        def timed(*args, **kwargs):
            begin = start()
            out = orig(*args, **kwargs)
            stop(key, begin)
            if on_result is not None:
                on_result(out)
            return out

        setattr(obj, method, timed)

    def proposals(results) -> None:
        stats['proposals_per_image'] = [len(r) for r in results]

    hook('backbone', det.backbone)
    if getattr(det, 'with_neck', False):
        hook('neck', det.neck)
    for i, block in enumerate(getattr(det, 'intra_cl_module', [])):
        hook(f'intra_cl_module.{i}', block)
    if getattr(det, 'with_rpn', False):
        wrap('rpn_head', det.rpn_head, 'predict', proposals)
    wrap('roi_head', det.roi_head, 'predict')
    wrap('roi_head.bbox', det.roi_head, 'predict_bbox')
    if getattr(det.roi_head, 'with_mask', False):
        wrap('roi_head.mask', det.roi_head, 'predict_mask')
    inter = getattr(det.roi_head, 'inter_cl_module', None)
    if inter is not None:
        hook('roi_head.inter_cl_module', inter)
    return times


def summarise(times: Dict[str, List[float]]) -> Dict[str, float]:
    """Median of every part (any detector); ``intra_cl_module`` is the sum
    of its blocks' medians."""
    out = {k: statistics.median(v) for k, v in times.items()}
    blocks = [v for k, v in out.items() if k.startswith('intra_cl_module.')]
    if blocks:
        out['intra_cl_module'] = sum(blocks)
    return out


def workload(model, stats: Dict) -> Dict:
    """What a cell timed; for two-stage cells the patched test cfg and the
    proposals / detections per image observed (``stats``)."""
    test_cfg = getattr(model, 'bench_test_cfg', None)
    if test_cfg is None:
        return dict(timed='tensor')
    return dict(timed='predict', test_cfg=test_cfg, **stats)


def complexity(model, shape: List[int], device: str, detections: int) -> Dict:
    """GMACs of one image at ``shape`` (H, W) through the dense parts.

    ``predict`` cannot be traced (data samples, data-dependent NMS), so the
    count traces ``extract_feat`` (backbone, neck, intra blocks), the RPN
    head's convolutions, the box head on ``rpn.max_per_img`` RoIs and the
    mask branch (mask RoIs, inter-instance module, mask head) on
    ``detections`` RoIs, i.e. the workload that :func:`fix_workload` fixes.
    Not counted: anchor decoding, NMS, RoIAlign, mask paste (and what
    :mod:`mmocr_ext.utils.complexity` does not count).

    Returns:
        dict: ``gmacs_per_image``, ``gmacs_by_module`` and ``gmacs_note``;
        with ``gmacs_per_image=None`` and the reason when tracing fails.
    """
    import torch
    from torch import nn

    det = detector(model)
    num_props = det.test_cfg.rpn.max_per_img if det.with_rpn else detections
    h, w = shape
    gen = torch.Generator().manual_seed(0)

    def rois(n: int):
        xy = torch.rand(n, 2, generator=gen) * torch.tensor([w / 2, h / 2])
        wh = torch.rand(n, 2, generator=gen) * torch.tensor([w / 2, h / 2])
        boxes = torch.cat([torch.zeros(n, 1), xy, xy + wh + 1], 1)
        return boxes.to(device)

    class _Dense(nn.Module):

        def __init__(self) -> None:
            super().__init__()
            self.det = det
            self.box_rois, self.mask_rois = rois(num_props), rois(detections)

        def forward(self, x, mode='tensor'):
            feats = self.det.extract_feat(x)
            outs = []
            if self.det.with_rpn:
                for level in self.det.rpn_head(feats):
                    outs += list(level)
            roi_head = self.det.roi_head
            bbox = roi_head._bbox_forward(feats, self.box_rois)
            outs += [bbox['cls_score'], bbox['bbox_pred']]
            if roi_head.with_mask:
                outs.append(
                    roi_head._mask_forward(feats,
                                           self.mask_rois)['mask_preds'])
            return tuple(outs)

    note = (f'dense parts only: features, RPN head convs, box head on '
            f'{num_props} RoIs, mask branch on {detections} RoIs; not '
            'counted: decoding, NMS, RoIAlign, mask paste')
    try:
        with torch.no_grad():
            total, per_module = _count(_Dense(),
                                       torch.randn(1, 3, h, w, device=device))
    except Exception as exc:  # tracing is best effort
        return dict(
            gmacs_per_image=None,
            gmacs_by_module={},
            gmacs_note=f'not counted: tracing failed ({exc!r:.200})')
    names = ('backbone', 'neck', 'intra_cl_module', 'rpn_head', 'roi_head',
             'roi_head.inter_cl_module')
    return dict(
        gmacs_per_image=total / 1e9,
        gmacs_by_module={
            k: per_module['det.' + k] / 1e9
            for k in names if per_module.get('det.' + k)
        },
        gmacs_note=note)


def _count(module, inputs) -> Tuple[int, Dict[str, int]]:
    """Total and per-submodule MACs of ``module(inputs)``, with the handles
    of :func:`mmocr_ext.utils.complexity.count_macs`."""
    from mmengine.analysis import FlopAnalyzer

    from mmocr_ext.utils.complexity import (_DEFORM_OPS, deform_conv_macs,
                                            sdpa_macs)
    analyzer = FlopAnalyzer(module, (inputs, ))
    analyzer.set_op_handle('aten::scaled_dot_product_attention', sdpa_macs,
                           **{op: deform_conv_macs
                              for op in _DEFORM_OPS})
    analyzer.unsupported_ops_warnings(False)
    analyzer.uncalled_modules_warnings(False)
    analyzer.tracer_warnings('none')
    return int(analyzer.total()), dict(analyzer.by_module())


def parse_options(pairs: List[str]) -> Dict:
    """``['a.b=1', 'c=[1,2]']`` -> ``{'a.b': 1, 'c': [1, 2]}`` (values as
    mmengine's ``--cfg-options``)."""
    from mmengine.config import DictAction
    out = {}
    for pair in pairs:
        if '=' not in pair:
            raise ValueError(f'expected KEY=VALUE, got {pair!r}')
        key, value = pair.split('=', 1)
        out[key] = DictAction._parse_iterable(value)
    return out
