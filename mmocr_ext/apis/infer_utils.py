# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""What ``tools/infer.py`` is made of: inputs, output names, images, models.

Heavy modules (mmcv, mmocr) are imported by the functions that need them,
so that the command line answers bad inputs quickly.
"""
import argparse
import os
import os.path as osp
from typing import Dict, List, Optional

IMG_EXTS = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')


def collect_images(inputs: List[str]) -> List[str]:
    """Expand folders into their image files (sorted); check files exist.

    Args:
        inputs (list[str]): Image files and folders.

    Returns:
        list[str]: Image files, folders expanded in name order.

    Raises:
        FileNotFoundError: An input does not exist.
        ValueError: No image was found.
    """
    images = []
    for path in inputs:
        if osp.isdir(path):
            images += sorted(
                osp.join(path, name) for name in os.listdir(path)
                if name.lower().endswith(IMG_EXTS))
        elif osp.isfile(path):
            images.append(path)
        else:
            raise FileNotFoundError(f'input {path} does not exist')
    if not images:
        raise ValueError(f'no images ({", ".join(IMG_EXTS)}) in '
                         f'{", ".join(inputs)}')
    return images


def check_model_files(args: argparse.Namespace) -> None:
    """Fail early on a config or checkpoint path that does not exist.

    A value without a path separator or ``.py`` suffix is left to mmocr as
    a model-zoo name; URLs are left to mmengine.

    Args:
        args (argparse.Namespace): ``det``, ``rec``, ``kie`` and their
            ``*_weights``.

    Raises:
        SystemExit: A given local file does not exist.
    """
    for task in ('det', 'rec', 'kie'):
        model = getattr(args, task)
        weights = getattr(args, f'{task}_weights')
        if weights is not None and model is None:
            raise SystemExit(f'--{task}-weights given without --{task}')
        looks_like_file = model is not None and (model.endswith('.py')
                                                 or os.sep in model)
        for path, is_file in ((model, looks_like_file),
                              (weights, weights is not None
                               and '://' not in weights)):
            if is_file and not osp.isfile(path):
                raise SystemExit(f'{path} does not exist')


def output_names(images: List[str]) -> List[str]:
    """Unique output names (without extension) for ``images``.

    The name without extension when no other input shares it; otherwise
    the file name with its extension (``a.jpg``, ``a.png``); the same file
    name twice (two folders) gets ``-2``, ``-3``... in input order. Names are
    compared ignoring case (case-insensitive file systems).

    Args:
        images (list[str]): Image paths.

    Returns:
        list[str]: One name per image, all different.
    """
    stems = [osp.splitext(osp.basename(path))[0] for path in images]
    counts: Dict[str, int] = {}
    for stem in stems:
        counts[stem.lower()] = counts.get(stem.lower(), 0) + 1
    wanted = [
        stem if counts[stem.lower()] == 1 else osp.basename(path)
        for stem, path in zip(stems, images)
    ]
    names: List[Optional[str]] = [None] * len(images)
    taken = set()
    # Names without extension first: they are what mmocr would write.
    for first in (True, False):
        for i, name in enumerate(wanted):
            if (name == stems[i]) != first:
                continue
            unique, n = name, 1
            while unique.lower() in taken:
                n += 1
                unique = f'{name}-{n}'
            taken.add(unique.lower())
            names[i] = unique
    return names


def load_image(path: str):
    """Decode ``path`` as BGR with its EXIF orientation applied.

    Args:
        path (str): Image file.

    Returns:
        np.ndarray: (H, W, 3) uint8 BGR image.

    Raises:
        OSError: The file cannot be read.
        ValueError: It is empty or cannot be decoded (not an image,
            truncated).
    """
    import mmcv
    with open(path, 'rb') as f:
        data = f.read()
    if not data:
        raise ValueError('empty file')
    # flag='color': the EXIF orientation is applied (cv2.IMREAD_COLOR);
    # OpenCV returns None for undecodable or truncated data.
    img = mmcv.imfrombytes(data, flag='color', backend='cv2')
    if img is None:
        raise ValueError('cannot be decoded as an image (not an image, '
                         'or truncated)')
    return img


def scaled_sample(sample, scale: float):
    """A copy of ``sample`` with its predicted geometry times ``scale``.

    Args:
        sample (TextDetDataSample): Predictions (``pred_instances`` with
            ``polygons`` and/or ``bboxes``).
        scale (float): Factor.

    Returns:
        The same sample for ``scale == 1``, else a shallow copy whose
        ``pred_instances`` fields are replaced (``sample`` is untouched).
    """
    if scale == 1:
        return sample
    # clone() is shallow: new containers, the fields replaced, not edited.
    sample = sample.clone()
    pred = sample.pred_instances.clone()
    if 'polygons' in pred:
        pred.polygons = [polygon * scale for polygon in pred.polygons]
    if 'bboxes' in pred:
        pred.bboxes = pred.bboxes * scale
    sample.pred_instances = pred
    return sample


def build_inferencer(args: argparse.Namespace, init_args: dict):
    """mmocr's inferencer for the tasks asked for.

    Detection alone: ``TextDetInferencer`` (JSON keys ``polygons`` /
    ``scores``; ``MMOCRInferencer`` would prefix them ``det_``).
    Recognition alone (word crops): ``TextRecInferencer`` (keys ``text`` /
    ``scores``). Otherwise ``MMOCRInferencer(**init_args)``. An in-context
    pool is given afterwards, by :func:`mmocr_ext.apis.set_recognizer_pool`.

    Args:
        args (argparse.Namespace): ``det``, ``det_weights``, ``rec``,
            ``rec_weights``, ``kie`` and ``device``.
        init_args (dict): ``MMOCRInferencer`` keyword arguments.

    Returns:
        The inferencer.
    """
    from mmocr import apis
    if args.rec is None:
        return apis.TextDetInferencer(
            model=args.det, weights=args.det_weights, device=args.device)
    if args.det is None and args.kie is None:
        return apis.TextRecInferencer(
            model=args.rec, weights=args.rec_weights, device=args.device)
    return apis.MMOCRInferencer(**init_args)
