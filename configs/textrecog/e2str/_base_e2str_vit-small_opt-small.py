# A small E2STR trained from scratch on a CPU (the in-context learning check,
# docs/e2str.md): the released model's classes at a fraction of the size.
#   ViT: 192-d, 4 layers, 3 heads, patches 4x8 (128 tokens; the released
#        ViT-B/4 uses 4x4 = 256), random init
#   Perceiver: 2 layers, 16 latents;  LM: OPT-style, 256-d, 4 layers,
#   character-level tokenizer (data/tokenizers/e2str-char)
_base_ = ['_base_e2str_vit-b4_opt-125m.py']

e2str_tokenizer = '{{ fileDirname }}/../../../data/tokenizers/e2str-char'

model = dict(
    vision_encoder=dict(
        embed_dim=192,
        depth=4,
        num_heads=3,
        patch_size=(4, 8),
        pretrained=None),
    perceiver=dict(dim=192, depth=2, dim_head=32, heads=4, num_latents=16),
    language_model=dict(
        tokenizer=e2str_tokenizer,
        pretrained=None,
        config=dict(
            hidden_size=256,
            num_hidden_layers=4,
            ffn_dim=1024,
            num_attention_heads=4,
            max_position_embeddings=1024,
            word_embed_proj_dim=256,
            dropout=0.0),
        dim_visual=192,
        # trained from scratch: no pretrained LM to protect, so the gates
        # start open (tanh(1) = 0.76); closed gates (the official 0) stayed
        # at ~0 for a whole epoch here and the model never used the image
        xattn_cfg=dict(dim_head=32, heads=4, gate_init=1.0)),
    decode_cfg=dict(num_beams=3, max_new_tokens=16))

# Light augmentation for a short from-scratch run (the released recipe's
# MAERec augmentation is in train_pipeline of the base).
light_train_pipeline = [
    dict(type='LoadImageFromFile', ignore_empty=True, min_size=2),
    dict(type='LoadOCRAnnotations', with_text=True),
    dict(type='Resize', scale=(128, 32)),
    dict(
        type='RandomApply',
        prob=0.25,
        transforms=[
            dict(
                type='TorchVisionWrapper',
                op='ColorJitter',
                brightness=0.5,
                saturation=0.5,
                contrast=0.5,
                hue=0.1),
        ]),
    dict(
        type='PackTextRecogInputs',
        meta_keys=('img_path', 'ori_shape', 'img_shape', 'valid_ratio')),
]
