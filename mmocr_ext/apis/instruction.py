# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""Instructions of instruction-following spotters (InstructOCR).

InstructOCR reads, per image, ``model.instruction_override`` when set,
else the data sample's ``metainfo['instruction']`` (the test pipeline's
``GenerateInstruction``: ``'all text'``). To ask a built inferencer for
something else::

    from mmocr_ext.apis import set_spotter_instruction

    set_spotter_instruction(inferencer, 'text of number')  # a template
    set_spotter_instruction(inferencer, 'what is the price?')  # VQA-style
    set_spotter_instruction(inferencer, None)  # back to the pipeline's

Any string works; only the training templates (``mmocr_ext.datasets.
instructions``) were learnt.
"""
from typing import Any, Optional


def spotter_model(inferencer: Any):
    """The model of an inferencer (or the model itself), unwrapped.

    Args:
        inferencer: An mmocr inferencer (``model`` attribute) or a model,
            possibly wrapped (DDP-like ``module``).

    Returns:
        nn.Module: The model.
    """
    model = getattr(inferencer, 'model', inferencer)
    return getattr(model, 'module', model)


def set_spotter_instruction(inferencer: Any,
                            instruction: Optional[str]) -> Optional[str]:
    """Make an inferencer's spotter follow ``instruction`` for every image.

    Args:
        inferencer: A ``PointSpotInferencer`` / mmocr
            ``TextSpotInferencer``, or the model itself (see
            :func:`spotter_model`).
        instruction (str, optional): The plain instruction (a template such
            as ``'text of number'``, or a question); the model adds its own
            wrapping. None: back to each sample's own instruction.

    Returns:
        str or None: The instruction set before.

    Raises:
        TypeError: The model does not follow instructions (it has no
            ``instruction_override``: not InstructOCR), or ``instruction``
            is not a string.
        ValueError: ``instruction`` is empty or blank.
    """
    model = spotter_model(inferencer)
    if not hasattr(model, 'instruction_override'):
        raise TypeError(f'the model {type(model).__name__} does not take '
                        'instructions (only instruction-following spotters '
                        'such as InstructOCR do)')
    if instruction is not None:
        if not isinstance(instruction, str):
            raise TypeError('the instruction must be a string, got '
                            f'{type(instruction).__name__}')
        if not instruction.strip():
            raise ValueError('the instruction is empty')
    previous = model.instruction_override
    model.instruction_override = instruction
    return previous


def spotter_instruction(inferencer: Any, data_sample) -> Optional[str]:
    """The instruction a spotter follows for ``data_sample``.

    Args:
        inferencer: See :func:`spotter_model`.
        data_sample: A data sample (``metainfo['instruction']`` read).

    Returns:
        str or None: The override when set, else the sample's instruction,
        else the model's ``default_instruction``; None for a model that
        takes no instruction.
    """
    model = spotter_model(inferencer)
    if not hasattr(model, 'instruction_override'):
        return None
    if model.instruction_override is not None:
        return model.instruction_override
    return data_sample.metainfo.get(
        'instruction', getattr(model, 'default_instruction', None))
