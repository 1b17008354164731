#!/usr/bin/env python3
"""Tests of the export code that need no checkpoint: /usr/bin/python3 inference-worker/export/test_export.py

(Debian's python3-torch; the real-checkpoint paths are covered only where they share code with these.)
"""
import os
import random
import sys
import tempfile
import unittest

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from glamm_common import GREEDY_SETTINGS, check_generation_settings   # noqa: E402
from glamm_parts import LlamaStep, PromptDecoder, device_constants, rope_tables, trace_checked   # noqa: E402
from io_wrappers import WRAPPERS   # noqa: E402
import tiny_glamm   # noqa: E402
import worker_loop  # noqa: E402


class GenerationSettings(unittest.TestCase):

    def test_greedy_defaults_and_equivalent_values_pass(self):
        check_generation_settings({}, "x")
        check_generation_settings(dict(GREEDY_SETTINGS), "x")
        check_generation_settings({"min_length": 0, "repetition_penalty": 1, "bad_words_ids": [],
                                   "num_beams": 4, "temperature": 0.7, "top_p": 0.9, "max_length": 2048}, "x")

    def test_each_non_greedy_setting_fails_and_is_named(self):
        bad = {"do_sample": True, "repetition_penalty": 1.2, "no_repeat_ngram_size": 3, "min_length": 5,
               "min_new_tokens": 2, "bad_words_ids": [[7]], "forced_eos_token_id": 2, "suppress_tokens": [5],
               "exponential_decay_length_penalty": (5, 1.1), "encoder_repetition_penalty": 0.9}
        for key, value in bad.items():
            with self.assertRaises(SystemExit) as e:
                check_generation_settings({key: value}, "ckpt/generation_config.json")
            self.assertIn(key, str(e.exception.code))
            self.assertIn("ckpt/generation_config.json", str(e.exception.code))

    def test_random_mixes_fail_exactly_when_one_setting_is_off(self):
        rnd = random.Random(5)
        off = {"do_sample": True, "repetition_penalty": 1.3, "no_repeat_ngram_size": 2, "min_length": 9}
        for _ in range(200):
            keys = [k for k in off if rnd.random() < 0.3]
            settings = {k: off[k] for k in keys}
            if keys:
                with self.assertRaises(SystemExit):
                    check_generation_settings(settings, "x")
            else:
                check_generation_settings(settings, "x")


class TracedStep(unittest.TestCase):

    def test_the_traced_tiny_language_model_hard_codes_its_device(self):
        with tempfile.TemporaryDirectory() as tmp:
            tiny_glamm.write_tiny(tmp)
            lm = torch.jit.load(os.path.join(tmp, "language_model.pt"))
            self.assertEqual(device_constants(lm), ["cpu"])

    def test_in_place_cache_steps_equal_a_full_recompute(self):
        torch.manual_seed(3)
        layers = [tiny_glamm.DecoderLayer() for _ in range(2)]
        cos, sin = rope_tables(tiny_glamm.DH, 64)
        step = LlamaStep(layers, tiny_glamm.RMSNorm(tiny_glamm.D), torch.nn.Linear(tiny_glamm.D, 50, bias=False),
                         cos, sin, tiny_glamm.H, tiny_glamm.DH, torch.float32).eval()
        meta = {"dtype": "float32", "num_layers": 2, "num_heads": tiny_glamm.H, "head_dim": tiny_glamm.DH}
        x = torch.randn(3, 12, tiny_glamm.D)
        example = (x[:, :4], worker_loop.new_cache(meta, 3, 20, "cpu"), torch.arange(0, 4))
        traced, _ = trace_checked(step, example, [], "lm", 1e-5)
        with torch.no_grad():
            full, _, _ = step(x, worker_loop.new_cache(meta, 3, 12, "cpu"), torch.arange(0, 12))
            cache = worker_loop.new_cache(meta, 3, 30, "cpu")
            _, _, cache = traced(x[:, :9], cache, torch.arange(0, 9))
            for i in range(9, 12):
                logits, _, cache = traced(x[:, i:i + 1], cache, torch.arange(i, i + 1))
        self.assertLess((logits - full).abs().max().item(), 1e-4)



class SamPromptEncoding(unittest.TestCase):
    """glamm_parts.PromptDecoder's masked arithmetic against segment_anything's own PromptEncoder code
    (`_embed_points` with boolean indexing, `_embed_boxes`, the mask / no-mask dense embedding), with random label
    and mask weights so that every term shows."""

    class Recorder(torch.nn.Module):
        def forward(self, image_embeddings, image_pe, sparse_prompt_embeddings, dense_prompt_embeddings,
                    multimask_output: bool):
            return sparse_prompt_embeddings, dense_prompt_embeddings

    @staticmethod
    def sam_reference(pe, points, labels, box, mask):
        """segment_anything PromptEncoder.forward (points, boxes, masks) for one image."""
        c = C = tiny_glamm.C
        sparse = torch.empty((1, 0, C))
        if points is not None:
            pts, lab = points + 0.5, labels
            if box is None:   # pad=True
                pts = torch.cat([pts, torch.zeros((1, 1, 2))], dim=1)
                lab = torch.cat([lab, -torch.ones((1, 1))], dim=1)
            e = pe.pe_layer.forward_with_coords(pts, (1024, 1024))
            e[lab == -1] = 0.0
            e[lab == -1] += pe.not_a_point_embed.weight
            e[lab == 0] += pe.point_embeddings[0].weight
            e[lab == 1] += pe.point_embeddings[1].weight
            sparse = torch.cat([sparse, e], dim=1)
        if box is not None:
            corners = pe.pe_layer.forward_with_coords((box + 0.5).reshape(-1, 2, 2), (1024, 1024))
            corners[:, 0, :] += pe.point_embeddings[2].weight
            corners[:, 1, :] += pe.point_embeddings[3].weight
            sparse = torch.cat([sparse, corners], dim=1)
        if mask is not None:
            dense = pe.mask_downscaling(mask)
        else:
            dense = pe.no_mask_embed.weight.reshape(1, -1, 1, 1).expand(1, c, 64, 64)
        return sparse, dense

    def test_points_boxes_and_masks_embed_as_segment_anything_does(self):
        torch.manual_seed(5)
        pe = tiny_glamm.TinyPromptEncoder()
        with torch.no_grad():
            for e in list(pe.point_embeddings) + [pe.not_a_point_embed, pe.no_mask_embed]:
                e.weight.normal_()
        dec = PromptDecoder(pe, self.Recorder()).eval()
        emb = torch.randn(1, tiny_glamm.C, 64, 64)
        mask = torch.randn(1, 1, 256, 256)
        pts = torch.tensor([[[10.0, 20.0], [500.0, 900.0], [3.0, 1000.0]]])
        lab = torch.tensor([[1.0, 0.0, 1.0]])
        box = torch.tensor([[40.0, 50.0, 600.0, 700.0]])
        corners = box.reshape(1, 2, 2)
        cases = [  # (the worker's points and labels, SAM's points/labels/box, mask)
            (torch.cat([pts, torch.zeros(1, 1, 2)], 1), torch.cat([lab, -torch.ones(1, 1)], 1), (pts, lab, None), None),
            (torch.cat([pts, corners], 1), torch.cat([lab, torch.tensor([[2.0, 3.0]])], 1), (pts, lab, box), mask),
            (corners, torch.tensor([[2.0, 3.0]]), (None, None, box), None),
        ]
        with torch.no_grad():
            for worker_pts, worker_lab, (p, l, b), m in cases:
                has = torch.tensor([0.0 if m is None else 1.0])
                sparse, dense = dec(emb, worker_pts, worker_lab, torch.zeros(1, 1, 256, 256) if m is None else m, has)
                ref_sparse, ref_dense = self.sam_reference(pe, p, l, b, m)
                self.assertEqual(tuple(sparse.shape), tuple(ref_sparse.shape))
                self.assertLess((sparse - ref_sparse).abs().max().item(), 1e-6)
                self.assertLess((dense - ref_dense).abs().max().item(), 1e-6)

    def test_traced_tiny_prompt_decoder_equals_eager_and_has_no_device_constant(self):
        with tempfile.TemporaryDirectory() as tmp:
            m = WRAPPERS["prompt_decoder"](tiny_glamm.prompt_decoder(torch.float32), torch.float32)
            traced, devices = tiny_glamm.trace_prompt_decoder(m, tmp, 1e-5, torch.device("cpu"))
            self.assertEqual(devices, [])
            emb = torch.tanh(torch.randn(1, tiny_glamm.C, 64, 64))
            args = (emb, torch.tensor([[[200.0, 300.0], [210.0, 300.0], [0.0, 0.0]]]),
                    torch.tensor([[1.0, 0.0, -1.0]]), torch.zeros(1, 1, 256, 256), torch.tensor([0.0]))
            with torch.no_grad():
                a, b = m(*args), traced(*args)
            self.assertEqual(tuple(b[0].shape), (1, 3, 256, 256))
            self.assertLess((a[0] - b[0]).abs().max().item(), 1e-5)


if __name__ == "__main__":
    unittest.main()
