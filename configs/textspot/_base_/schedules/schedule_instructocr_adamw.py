# InstructOCR's optimisation (spec B7): AdamW, weight decay 1e-4, constant
# learning rate (the stages set it: 4.4e-4 with a 5-epoch linear warm-up
# from 1e-4 for pretraining 1, 1e-4 for pretraining 2 and the instruction
# stage, 1e-5 for fine-tuning), gradient clipping at SPTS's max norm 0.1
# (the official loop references an undefined ``max_norm``). The backbone
# trains at the full rate, as in the official code (its 0.1x group is
# empty; SPTS and mmocr's SPTS use 0.1x): set
# ``optim_wrapper.paramwise_cfg.custom_keys={'backbone': dict(lr_mult=0.1)}``
# for SPTS's choice. Leaf configs set ``train_cfg.max_epochs``.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-4, weight_decay=1e-4),
    clip_grad=dict(max_norm=0.1, norm_type=2))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=40, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=True)]
