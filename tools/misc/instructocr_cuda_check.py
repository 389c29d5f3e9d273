# Copyright (c) 2026 The mmocr_ext Authors. Licensed under Apache-2.0.
"""InstructOCR on a GPU: AMP training steps, KV-cache equality, CPU parity.

    python tools/misc/instructocr_cuda_check.py [--steps 20] [--out x.json]

Builds the toy config's model (random, slot-constrained decoding so every
block is an instance), trains ``--steps`` iterations on random images with
hand-made ground truth through mmengine's ``AmpOptimWrapper`` (fp16 autocast
+ loss scaling; bf16 with ``--dtype bfloat16``), then checks on CUDA that
cached and recomputed decoding give the same tokens, and that CUDA and CPU
predictions of the trained weights agree (texts and points). Prints and
writes JSON; exit status 1 if a check fails.
"""
import argparse
import json
import sys
import time

import numpy as np
import torch


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--steps', type=int, default=20)
    parser.add_argument('--dtype', default='float16')
    parser.add_argument('--out')
    args = parser.parse_args()
    from mmengine.config import Config
    from mmengine.optim import AmpOptimWrapper
    from mmengine.structures import InstanceData
    from mmocr.registry import MODELS
    from mmocr.structures import TextDetDataSample

    import mmocr_ext
    from mmocr_ext.models.textspot.instructocr import greedy_generate
    mmocr_ext.register_all_modules(init_default_scope=True)
    cfg = Config.fromfile('configs/textspot/instructocr/'
                          'instructocr_clip-r50-tiny_toy.py')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).cuda()
    model.decoder.decode_cfg['constrained'] = True

    def samples(n):
        out = []
        for i in range(n):
            s = TextDetDataSample(
                metainfo=dict(img_shape=(128, 128), ori_shape=(128, 128)))
            s.gt_instances = InstanceData(
                polygons=[
                    np.array([8, 8, 60, 8, 60, 30, 8, 30], np.float32) + i
                ],
                texts=['Hello'],
                ignored=torch.tensor([False]))
            out.append(s)
        return out

    optim = AmpOptimWrapper(
        optimizer=torch.optim.AdamW(model.parameters(), lr=1e-3),
        dtype=args.dtype)
    images = torch.rand(4, 3, 128, 128, device='cuda')
    losses, start = [], time.time()
    model.train()
    for _ in range(args.steps):
        with optim.optim_context(model):
            loss = model(images, samples(4), mode='loss')['loss_seq']
        optim.update_params(loss)
        losses.append(float(loss))
    torch.cuda.synchronize()
    report = dict(
        device=torch.cuda.get_device_name(),
        dtype=args.dtype,
        losses=losses,
        s_per_step=(time.time() - start) / args.steps,
        finite=bool(np.isfinite(losses).all()),
        decreased=losses[-1] < losses[0])
    model.eval()
    with torch.no_grad():
        out = model.encode(images, samples(4), for_predict=True)
        a, _ = greedy_generate(
            model.decoder,
            out['memory'],
            out['memory_mask'],
            out['pos'],
            max_len=82)
        b, _ = greedy_generate(
            model.decoder,
            out['memory'],
            out['memory_mask'],
            out['pos'],
            max_len=82,
            use_cache=False)
        report['cache_equals_recompute'] = bool(torch.equal(a, b))
        gpu = model.predict(images, samples(4))
        cpu = model.cpu().predict(images.cpu(), samples(4))
    report['cpu_cuda_same_texts'] = all(
        g.pred_instances.texts == c.pred_instances.texts
        for g, c in zip(gpu, cpu))
    report['cpu_cuda_max_point_diff'] = max(
        float((g.pred_instances.points - c.pred_instances.points
               ).abs().max()) if len(c.pred_instances.points) else 0.0
        for g, c in zip(gpu, cpu))
    print(json.dumps(report, indent=1))
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(report, f, indent=1)
    ok = (
        report['finite'] and report['decreased']
        and report['cache_equals_recompute'])
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
