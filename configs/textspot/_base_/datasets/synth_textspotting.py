# Synthetic scene text for end-to-end spotting (docs/synth.md): polygons and
# transcriptions of the rendered words. Training images are rendered on the
# fly from (seed 0, index) by SynthRenderDataset(task='textspotting') (no
# disk step), validation from seed 1, and a held-out test set on disk
# (seed 2) in data/synth_textspotting, written with the renderer settings of
# the leaf config LEAF that trains on synth_textspotting_train by
#   python tools/dataset_converters/generate_synth.py --renderer-config LEAF \
#       --tasks spot --split test --seed 2 --num 100 \
#       --out data/synth_textspotting
# (images in textdet_imgs/test/, annotations in
# data/synth_textspotting/textspotting_test.json).
synth_textspotting_data_root = (
    '{{ fileDirname }}/../../../../data/synth_textspotting')

synth_textspotting_renderer = dict(
    height=320,
    width=320,
    num_words=(3, 8),
    font_size=(0.05, 0.14),
    backgrounds=dict(procedural_prob=0.4),
)

synth_textspotting_train = dict(
    type='SynthRenderDataset',
    num_samples=800,
    seed=0,
    task='textspotting',
    renderer=synth_textspotting_renderer,
    pipeline=None)

# The same distribution, another seed: held out from training.
synth_textspotting_val = dict(
    type='SynthRenderDataset',
    num_samples=64,
    seed=1,
    task='textspotting',
    renderer=synth_textspotting_renderer,
    test_mode=True,
    pipeline=None)

synth_textspotting_test = dict(
    type='CheckedOCRDataset',
    data_root=synth_textspotting_data_root,
    ann_file='textspotting_test.json',
    test_mode=True,
    pipeline=None)
