# InstructOCR instruction training (spec B7, instruction.sh): the
# pretraining data with the 10 instruction templates sampled per image
# (GenerateInstruction(stage='instruction'), official probabilities) and
# the targets filtered to the selected instances; stage-2 scales, 50
# epochs (official 240 -> 290) at a constant 1e-4, 32 GPUs x 4 images.
#   --cfg-options load_from=work_dirs/<stage-2 run>/epoch_40.pth
_base_ = ['instructocr_clip-r50_40e_pretrain2.py']

train_pipeline = [
    dict(t, stage='instruction') if t.type == 'GenerateInstruction' else t
    for t in _base_.train_pipeline
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
train_cfg = dict(max_epochs=50, val_interval=50)
