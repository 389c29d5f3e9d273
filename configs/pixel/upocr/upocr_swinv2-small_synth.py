# The learning check's UPOCR (tools/misc/upocr_learning_check.py): the same
# classes at a small size (encoder C 32, depths 2-2-2-2, window 4; decoder
# 256..16 channels, depths 2 x 5), trained jointly from scratch on CPU on
# 128x128 synthetic images (data/upocr_synth, 2,000 train / 100 held out),
# 4 images per task per batch, with the official augmentations. The removal
# loss is the multi-scale masked L1 only: no ImageNet VGG-16 file is
# available here, and a random VGG's perceptual/style terms are not the
# paper's losses. Validation every 500 iterations on the held-out images,
# the three tasks mixed, each metric on its own task.
_base_ = ['upocr_swinv2-tiny_toy.py']

toy_size = (128, 128)
model = dict(
    prompt_dim=256,
    encoder=dict(
        embed_dim=32,
        depths=[2, 2, 2, 2],
        num_heads=[2, 4, 8, 16],
        window_size=4,
        drop_path_rate=0.),
    decoder=dict(
        embed_dim=256,
        depths=[2, 2, 2, 2, 2],
        num_heads=[16, 8, 4, 2, 1],
        window_size=4,
        drop_path_rate=0.),
    loss_removal=[dict(type='MultiScaleMaskedL1Loss')])

learning_root = '{{ fileDirname }}/../../../data/upocr_synth'
samples_per_task = 4
train_dataloader = dict(
    batch_size=samples_per_task * 3,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(
        samples_per_task=samples_per_task,
        batch_size=samples_per_task * 3,
        drop_last=True),
    dataset=dict(datasets=[
        dict(d, data_root=learning_root + '/train')
        for d in _base_.train_dataloader.dataset.datasets
        if d['type'] == 'SynthPixelDataset'
    ]))
val_dataloader = dict(
    batch_size=12,
    dataset=dict(datasets=[
        dict(d, data_root=learning_root + '/test')
        for d in _base_.val_dataloader.dataset.datasets
    ]))
test_dataloader = val_dataloader

# From scratch: no pretrained encoder to protect, so the encoder trains at
# the full rate (the official 0.1x protects SegMIM weights).
optim_wrapper = dict(
    optimizer=dict(lr=1e-3),
    paramwise_cfg=dict(custom_keys={'encoder': dict(lr_mult=1.0)}))
param_scheduler = [
    dict(
        type='UPOCRStaircaseLR',
        iters_per_epoch=100,
        warmup_epochs=2,
        warmup_start_lr=1e-4,
        base_lr=5e-4,
        min_lr=1e-5,
        total_epochs=35,
        by_epoch=False)
]
train_cfg = dict(max_iters=3500, val_interval=500)
default_hooks = dict(
    checkpoint=dict(interval=500), logger=dict(type='LoggerHook', interval=20))
