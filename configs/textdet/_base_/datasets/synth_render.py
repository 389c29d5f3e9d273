# Synthetic scene text (docs/synth.md): training images rendered on the fly
# from (seed, index) by SynthRenderDataset, no disk step; a held-out test set
# written by tools/dataset_converters/generate_synth.py with another seed
# (tools/run_demo.sh writes it to data/synth_textdet_test).
synth_renderer = dict(
    height=320,
    width=320,
    num_words=(3, 8),
    font_size=(0.05, 0.14),
    backgrounds=dict(procedural_prob=0.4),
)

synth_render_textdet_train = dict(
    type='SynthRenderDataset',
    num_samples=800,
    seed=0,
    task='textdet',
    renderer=synth_renderer,
    pipeline=None)

# The same distribution, another seed: held out from training.
synth_render_textdet_val = dict(
    type='SynthRenderDataset',
    num_samples=64,
    seed=1,
    task='textdet',
    renderer=synth_renderer,
    test_mode=True,
    pipeline=None)

synth_textdet_test_data_root = (
    '{{ fileDirname }}/../../../../data/synth_textdet_test')

synth_textdet_test = dict(
    type='CheckedOCRDataset',
    data_root=synth_textdet_test_data_root,
    ann_file='textdet_test.json',
    test_mode=True,
    pipeline=None)
