# A tiny random UPOCR (spec §8 sizes: encoder C 16, depths 1-1-1-1, window 4;
# decoder 128..8 channels) trained jointly on the three tasks at 128x128: the
# synthetic data engine's pixel outputs plus the bundled real SCUT-EnsText
# triple (data/scut_enstext_sample, see its SOURCE.txt) for text removal.
# The whole train -> test -> infer cycle runs on a CPU in about a minute.
# Synthetic data first (a few seconds):
#   python tools/dataset_converters/generate_synth.py --tasks pixel \
#       --split train --seed 0 --num 12 --height 128 --width 128 \
#       --num-words 1 3 --font-size 0.12 0.25 --out data/upocr_synth_toy/train
#   (and --split test --seed 1 --num 6 --out data/upocr_synth_toy/test)
#   bash tools/dist_train.sh configs/pixel/upocr/upocr_swinv2-tiny_toy.py 2
#   bash tools/dist_test.sh configs/pixel/upocr/upocr_swinv2-tiny_toy.py \
#       work_dirs/upocr_swinv2-tiny_toy/iter_8.pth 2
# The test set mixes the three tasks; each metric scores its own task's
# images. The VGG-16 of the removal losses is random here (no weight file).
_base_ = [
    '_base_upocr_swinv2-s.py',
    '../_base_/datasets/synth_pixel.py',
    '../_base_/schedules/schedule_upocr_adamw_80k.py',
]

toy_size = (128, 128)
toy_root = '{{ fileDirname }}/../../../data/upocr_synth_toy'
scut_sample_root = '{{ fileDirname }}/../../../data/scut_enstext_sample'

model = dict(
    prompt_dim=128,
    encoder=dict(
        embed_dim=16,
        depths=[1, 1, 1, 1],
        num_heads=[1, 2, 4, 8],
        window_size=4,
        pretrained_window_size=0,
        drop_path_rate=0.),
    decoder=dict(
        embed_dim=128,
        depths=[1, 1, 1, 1, 1],
        num_heads=[8, 4, 2, 1, 1],
        window_size=4,
        pretrained_window_size=0,
        drop_path_rate=0.),
    loss_removal=[
        dict(type='MultiScaleMaskedL1Loss'),
        dict(type='VGGPerceptualStyleLoss', vgg_pretrained=None)
    ])


def _sized(pipeline):
    return [
        dict(t, scale=toy_size) if t['type'] == 'PixelResize' else t
        for t in pipeline
    ]


removal_train = _sized(_base_.removal_train_pipeline)
tamper_train = _sized(_base_.tamper_train_pipeline)
segmentation_train = _sized(_base_.segmentation_train_pipeline)
synth_train = dict(
    _base_.synth_pixel_train,
    data_root=toy_root + '/train',
    removal_mask='polygons')
synth_test = dict(_base_.synth_pixel_test, data_root=toy_root + '/test')

samples_per_task = 2
train_dataloader = dict(
    batch_size=samples_per_task * 3,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(
        type='MultiTaskGroupedSampler',
        samples_per_task=samples_per_task,
        batch_size=samples_per_task * 3,
        drop_last=False,
        shuffle=True),
    dataset=dict(
        type='ConcatDataset',
        verify_meta=False,
        datasets=[
            dict(synth_train, task='text_removal', pipeline=removal_train),
            dict(
                type='SCUTEnsTextDataset',
                data_root=scut_sample_root,
                img_dir='all_images',
                label_dir='all_labels',
                mask_dir='mask',
                pipeline=removal_train),
            dict(synth_train, task='tamper_detection', pipeline=tamper_train),
            dict(
                synth_train,
                task='text_segmentation',
                pipeline=segmentation_train),
        ]))
val_dataloader = dict(
    batch_size=3,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset',
        verify_meta=False,
        datasets=[
            dict(
                synth_test,
                task='text_removal',
                pipeline=_sized(_base_.removal_test_pipeline)),
            dict(
                synth_test,
                task='tamper_detection',
                pipeline=_sized(_base_.tamper_test_pipeline)),
            dict(
                synth_test,
                task='text_segmentation',
                pipeline=_sized(_base_.segmentation_test_pipeline)),
        ]))
test_dataloader = val_dataloader
val_evaluator = [
    dict(type='TextRemovalMetric', gt_resize=toy_size[0]),
    dict(type='TextSegMetric'),
    dict(type='TamperedTextMetric'),
]
test_evaluator = val_evaluator
visualizer = dict(type='PixelOCRLocalVisualizer')

optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(
        type='UPOCRStaircaseLR',
        iters_per_epoch=2,
        warmup_epochs=1,
        total_epochs=8,
        by_epoch=False)
]
train_cfg = dict(max_iters=8, val_interval=8)
default_hooks = dict(
    checkpoint=dict(interval=8), logger=dict(type='LoggerHook', interval=1))
