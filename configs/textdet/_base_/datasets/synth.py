# Synthetic scene text (docs/synth.md). One renderer setting, three sets:
# training images rendered on the fly from (seed 0, index) by
# SynthRenderDataset (no disk step), validation from seed 1, and a held-out
# test set on disk (seed 2) in data/synth, written by
#   python tools/dataset_converters/generate_synth.py --renderer-config LEAF \
#       --num 100 --seed 2 --tasks det --out data/synth --overwrite
# (tools/run_demo.sh does it), so it has exactly the leaf's settings.
synth_textdet_data_root = '{{ fileDirname }}/../../../../data/synth'

synth_renderer = dict(
    height=320,
    width=320,
    num_words=(3, 8),
    font_size=(0.05, 0.14),
    backgrounds=dict(procedural_prob=0.4),
)

synth_textdet_train = dict(
    type='SynthRenderDataset',
    num_samples=800,
    seed=0,
    task='textdet',
    renderer=synth_renderer,
    pipeline=None)

# The same distribution, another seed: held out from training.
synth_textdet_val = dict(
    type='SynthRenderDataset',
    num_samples=64,
    seed=1,
    task='textdet',
    renderer=synth_renderer,
    test_mode=True,
    pipeline=None)

synth_textdet_test = dict(
    type='CheckedOCRDataset',
    data_root=synth_textdet_data_root,
    ann_file='textdet_test.json',
    test_mode=True,
    pipeline=None)
