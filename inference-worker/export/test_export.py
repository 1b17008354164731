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
from glamm_parts import LlamaStep, device_constants, rope_tables, trace_checked   # noqa: E402
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


if __name__ == "__main__":
    unittest.main()
