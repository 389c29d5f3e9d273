# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Shared helpers of the ONNX exporters: export, run, compare.

Every family exporter (``export_textdet``, ``export_pixel``,
``export_textrecog``, ``export_textspot``) follows the same procedure:

1. wrap the network part of the model in a small ``nn.Module`` whose
   ``forward`` takes and returns plain tensors;
2. :func:`export_graph` it (eval mode, ``torch.no_grad``, written atomically);
3. :func:`check_graph` it: run the wrapper in PyTorch and the graph in
   onnxruntime (CPU) on each input tuple (the export size and at least one
   other size when an axis is dynamic) and raise :class:`OnnxMismatchError`
   when an output shape differs or the max abs difference exceeds ``atol``;
4. return an :class:`ExportedGraph` describing the file.

onnxruntime is an optional dependency (``pip install "mmocr_ext[onnx]"``);
it is imported only by :func:`run_onnx`.
"""
import json
import os
import os.path as osp
import secrets
import warnings
from dataclasses import dataclass, field, fields
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
from torch import Tensor, nn

ORT_MISSING_MSG = ('onnxruntime is required to run or verify exported ONNX '
                   'graphs; install it with `pip install "mmocr_ext[onnx]"` '
                   '(or `pip install onnxruntime onnx`).')


class OnnxExportError(RuntimeError):
    """A graph failed to export.

    Args:
        name (str): Name of the graph (or of the file).
        reason (str): One-line reason.
    """

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.reason = ' '.join(str(reason).split())
        super().__init__(f'{name}: {self.reason}')


class OnnxMismatchError(RuntimeError):
    """onnxruntime and PyTorch disagree (shape, or value beyond ``atol``)."""


@dataclass
class ExportedGraph:
    """One exported ONNX graph and how it was verified.

    Attributes:
        name (str): Graph name (file stem).
        path (str): Path of the ``.onnx`` file.
        input_names (list[str]): Graph input names, in order.
        output_names (list[str]): Graph output names, in order.
        dynamic_axes (dict): ``{tensor_name: {axis: axis_name}}``.
        max_abs_diff (float): Worst max abs difference ORT vs PyTorch over
            all checks.
        checked_shapes (list): Input shapes tried, one list of shapes per
            check.
        notes (str): Free text (what stays in Python, ...). Defaults to ''.
    """
    name: str
    path: str
    input_names: list
    output_names: list
    dynamic_axes: dict
    max_abs_diff: float
    checked_shapes: list
    notes: str = ''
    extra: dict = field(default_factory=dict)
    #: The PyTorch module the graph was checked against and the inputs it
    #: was exported with (for benchmarks; never serialised).
    module: Optional[nn.Module] = field(
        default=None, repr=False, compare=False)
    example_inputs: Optional[tuple] = field(
        default=None, repr=False, compare=False)

    def to_dict(self) -> dict:
        """JSON-serialisable dict of the fields."""
        d = {
            f.name: getattr(self, f.name)
            for f in fields(self) if f.name not in ('module', 'example_inputs')
        }
        d = json.loads(json.dumps(d, default=str))  # plain, detached copy
        d['dynamic_axes'] = {
            k: {
                str(a): n
                for a, n in v.items()
            }
            for k, v in (self.dynamic_axes or {}).items()
        }
        return d


def flatten_outputs(outs: Any) -> List[Tensor]:
    """Flatten a tensor / nested tuple, list or dict of tensors into a list.

    Args:
        outs: Module output.

    Returns:
        list[Tensor]: Tensors in depth-first order (dict values in insertion
        order), the order the ONNX exporter uses for graph outputs.
    """
    if isinstance(outs, Tensor):
        return [outs]
    if isinstance(outs, dict):
        outs = list(outs.values())
    if isinstance(outs, (list, tuple)):
        flat: List[Tensor] = []
        for o in outs:
            flat.extend(flatten_outputs(o))
        return flat
    raise TypeError(f'unsupported output type {type(outs).__name__}')


def export_graph(module: nn.Module,
                 args: tuple,
                 path: str,
                 input_names: Sequence[str],
                 output_names: Sequence[str],
                 dynamic_axes: Optional[dict] = None,
                 opset: int = 17,
                 dynamo: bool = False) -> str:
    """Export ``module(*args)`` to ONNX at ``path``.

    The module is put in eval mode (its previous mode is restored) and traced
    under ``torch.no_grad``. The file is written to a hidden temporary file in
    the same folder and moved onto ``path`` with ``os.replace``, so a failed
    export never leaves a partial ``.onnx``.

    Args:
        module (nn.Module): Module whose ``forward`` takes tensors and returns
            a tensor or a (nested) tuple of tensors.
        args (tuple): Example inputs.
        path (str): Output ``.onnx`` path (its folder is created).
        input_names (Sequence[str]): Names of the graph inputs.
        output_names (Sequence[str]): Names of the graph outputs.
        dynamic_axes (dict, optional): ``{name: {axis: axis_name}}``.
            Defaults to None (static shapes).
        opset (int): ONNX opset. Defaults to 17.
        dynamo (bool): Use the ``torch.export`` based exporter instead of the
            TorchScript one. Defaults to False.

    Returns:
        str: ``path``.

    Raises:
        OnnxExportError: If the exporter fails (one-line reason).
    """
    name = osp.splitext(osp.basename(path))[0]
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = osp.join(folder, f'.{name}.{os.getpid()}.{secrets.token_hex(4)}'
                   '.tmp.onnx')
    was_training = module.training
    module.eval()
    kwargs: Dict[str, Any] = dict(
        input_names=list(input_names),
        output_names=list(output_names),
        opset_version=opset,
        dynamo=dynamo)
    if dynamo:
        kwargs['dynamic_axes'] = dynamic_axes or None
        kwargs['external_data'] = False
    else:
        kwargs['dynamic_axes'] = dynamic_axes or None
        kwargs['do_constant_folding'] = True
    try:
        with torch.no_grad(), warnings.catch_warnings():
            # Tracer warnings flag Python values frozen into the graph; the
            # exporters check dynamic axes with a second input size.
            warnings.simplefilter('ignore')
            torch.onnx.export(module, tuple(args), tmp, **kwargs)
        os.replace(tmp, path)
    except Exception as e:  # noqa: BLE001 - re-raised with a short reason
        first = str(e).strip().splitlines()
        reason = f'{type(e).__name__}: {first[0] if first else ""}'
        raise OnnxExportError(name, reason[:500]) from e
    finally:
        module.train(was_training)
        if osp.exists(tmp):
            os.remove(tmp)
    return path


def _import_ort():
    try:
        import onnxruntime
    except ImportError as e:
        raise ImportError(ORT_MISSING_MSG) from e
    return onnxruntime


def run_onnx(path: str, feeds: Dict[str, np.ndarray]) -> List[np.ndarray]:
    """Run an ONNX graph with onnxruntime on CPU.

    Args:
        path (str): ``.onnx`` file.
        feeds (dict[str, np.ndarray]): Graph inputs by name.

    Returns:
        list[np.ndarray]: All graph outputs, in graph order.

    Raises:
        ImportError: If onnxruntime is not installed (the message says how to
            install it).
    """
    ort = _import_ort()
    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    threads = os.environ.get('OMP_NUM_THREADS')
    if threads and threads.isdigit():
        opts.intra_op_num_threads = int(threads)
    sess = ort.InferenceSession(
        path, sess_options=opts, providers=['CPUExecutionProvider'])
    graph_inputs = {i.name for i in sess.get_inputs()}
    # Inputs folded away by the exporter (unused) must not be fed.
    feeds = {k: v for k, v in feeds.items() if k in graph_inputs}
    return sess.run(None, feeds)


def compare_outputs(torch_outs: Sequence[Tensor],
                    ort_outs: Sequence[np.ndarray]) -> float:
    """Max abs difference between PyTorch and onnxruntime outputs.

    Args:
        torch_outs (Sequence[Tensor]): PyTorch outputs.
        ort_outs (Sequence[np.ndarray]): onnxruntime outputs, same order.

    Returns:
        float: Worst max abs difference over all outputs; ``inf`` when the
        number of outputs or a shape differs, or a value is NaN in only one
        of the two; 0.0 for empty outputs.
    """
    if len(torch_outs) != len(ort_outs):
        return float('inf')
    worst = 0.0
    for t, o in zip(torch_outs, ort_outs):
        a = t.detach().cpu().float().numpy() if isinstance(t, Tensor) \
            else np.asarray(t, dtype=np.float32)
        b = np.asarray(o).astype(np.float32)
        if a.shape != b.shape:
            return float('inf')
        if a.size == 0:
            continue
        if not np.array_equal(np.isnan(a), np.isnan(b)):
            return float('inf')
        finite = ~np.isnan(a)
        if not finite.any():
            continue
        diff = np.abs(a[finite] - b[finite])
        # inf - inf is nan: equal infinities count as 0.
        diff = np.where(np.isnan(diff), 0.0, diff)
        worst = max(worst, float(diff.max()))
    return worst


def check_graph(module: nn.Module,
                path: str,
                input_names: Sequence[str],
                output_names: Sequence[str],
                inputs_list: List[tuple],
                atol: float = 1e-3) -> float:
    """Compare ``module`` with its ONNX graph on several inputs.

    Args:
        module (nn.Module): The exported module (run in eval mode, no grad).
        path (str): Its ``.onnx`` file.
        input_names (Sequence[str]): Graph input names, matching the order
            of each input tuple.
        output_names (Sequence[str]): Graph output names (for messages).
        inputs_list (list[tuple]): Input tuples, e.g. at the export size and
            at another size.
        atol (float): Largest allowed max abs difference. Defaults to 1e-3.

    Returns:
        float: Worst max abs difference over all input tuples.

    Raises:
        OnnxMismatchError: If an output shape or count differs, or the
            difference exceeds ``atol``.
    """
    name = osp.splitext(osp.basename(path))[0]
    was_training = module.training
    module.eval()
    worst = 0.0
    try:
        for inputs in inputs_list:
            with torch.no_grad():
                t_outs = flatten_outputs(module(*inputs))
            feeds = {
                n: x.detach().cpu().numpy()
                for n, x in zip(input_names, inputs)
            }
            try:
                o_outs = run_onnx(path, feeds)
            except ImportError:
                raise
            except Exception as e:  # noqa: BLE001 - ORT run failure
                first = (str(e).strip().splitlines() or [''])[0]
                raise OnnxMismatchError(
                    f'{name}: onnxruntime failed at input shapes '
                    f'{[tuple(x.shape) for x in inputs]}: {first[:400]}'
                ) from e
            shapes = [tuple(x.shape) for x in inputs]
            if len(t_outs) != len(o_outs):
                raise OnnxMismatchError(
                    f'{name}: {len(o_outs)} ONNX outputs vs {len(t_outs)} '
                    f'PyTorch outputs at input shapes {shapes}')
            for n, t, o in zip(output_names, t_outs, o_outs):
                if tuple(t.shape) != tuple(o.shape):
                    raise OnnxMismatchError(
                        f'{name}: output {n} has shape {tuple(o.shape)} in '
                        f'ONNX vs {tuple(t.shape)} in PyTorch at input '
                        f'shapes {shapes}')
            diff = compare_outputs(t_outs, o_outs)
            if not diff <= atol:
                raise OnnxMismatchError(
                    f'{name}: max abs diff {diff:.3g} > atol {atol:g} at '
                    f'input shapes {shapes}')
            worst = max(worst, diff)
    finally:
        module.train(was_training)
    return worst


def with_second_size(img_shapes: Sequence[Sequence[int]],
                     step: int = 32) -> List[Tuple[int, int]]:
    """``img_shapes`` as ``(H, W)`` tuples, with a second size
    ``(H + step, W + 2 * step)`` added when only one is given, so a dynamic
    graph is always checked at two sizes."""
    shapes = [(int(h), int(w)) for h, w in img_shapes]
    if not shapes:
        raise ValueError('img_shapes is empty')
    if len(shapes) == 1:
        h, w = shapes[0]
        shapes.append((h + step, w + 2 * step))
    return shapes


def input_shapes(inputs_list: List[tuple]) -> list:
    """Shapes of each input tuple, as lists (for :class:`ExportedGraph`)."""
    return [[list(x.shape) for x in inputs] for inputs in inputs_list]


__all__ = [
    'ExportedGraph', 'OnnxExportError', 'OnnxMismatchError', 'export_graph',
    'run_onnx', 'compare_outputs', 'check_graph', 'flatten_outputs',
    'input_shapes', 'with_second_size', 'ORT_MISSING_MSG'
]
