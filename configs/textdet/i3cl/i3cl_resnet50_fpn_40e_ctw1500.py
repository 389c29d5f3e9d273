# I3CL-R50 finetuned on CTW1500 from the final ArT-trained model: the
# Total-Text finetuning (OUR schedule, not the paper's; paper: CTW1500
# F 86.4) with CTW1500's training and test sets.
_base_ = [
    'i3cl_resnet50_fpn_40e_totaltext.py',
    '../_base_/datasets/ctw1500.py',
]

train_dataloader = dict(dataset=dict(datasets=[_base_.ctw1500_textdet_train]))
val_dataloader = dict(
    dataset=dict(
        _base_.ctw1500_textdet_test,
        _delete_=True,
        pipeline=_base_.i3cl_test_pipeline))
test_dataloader = val_dataloader
