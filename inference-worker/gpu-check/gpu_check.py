#!/usr/bin/env python3
"""GPU check of the worker's exported parts: the tiny model and a GLaMM-shaped random-weight model on one device.

  gpu_check.py [--device cuda|cpu] [--small] [--batches 1,8,16] [--tokens 128] [--out DIR]

Offline and self-contained (torch only; no checkpoint, no download, no Maven). What it does:

1. The tiny model exactly as `export_glamm.py --tiny --device DEVICE` writes it (traced on that device), its
   batch-vs-single check, and images/s through the worker's batched loop (export/worker_loop.py).
2. A GLaMM-shaped model with random weights made here: LLaMA-7B (32 layers, 4096, 32 heads, MLP 11008, vocab 32004)
   as the same glamm_parts.LlamaStep, CLIP ViT-L/14-336 (23 layers used, 1024 wide) + the 2-layer projector, SAM
   ViT-H (32 layers, 1280 wide, 14x14 windows, global attention in blocks 7/15/23/31, neck to 256), GLaMM's
   text_hidden_fcs and a SAM-sized mask decoder (two-way transformer, 2 layers, 256 wide, upscaling to 256x256).
   Every part is traced with the export's own tracing code (glamm_parts.trace_checked, in memory) in bfloat16 and
   run through the worker's loop: images/s and tokens/s at each batch size, peak memory.
3. infer.py's design on the same parts: batch 1 and no KV cache (infer.py calls evaluate with use_cache=False,
   so each new token recomputes the whole sequence); the decode time is measured at three sequence lengths and
   integrated over the answer.

Random weights babble, so every run generates exactly --tokens tokens (no </s>) and 3 [SEG]s per image: the same
amount of work for every configuration. --small shrinks every width and depth so that it runs on a CPU (to check
the script; its figures mean nothing). Results: printed as Markdown and written to DIR/gpu-check.json and .md.
"""
import argparse
import contextlib
import json
import math
import os
import sys
import tempfile
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "export"))

from glamm_parts import LlamaStep, rope_tables, trace_checked   # noqa: E402
from io_wrappers import WRAPPERS                                  # noqa: E402
import worker_loop                                                # noqa: E402

REAL = dict(d=4096, layers=32, heads=32, mlp=11008, vocab=32004, clip_w=1024, clip_layers=23, clip_heads=16,
            sam_w=1280, sam_layers=32, sam_heads=16, sam_global=(7, 15, 23, 31), prompt_text=75)
SMALL = dict(d=128, layers=2, heads=4, mlp=344, vocab=1000, clip_w=64, clip_layers=2, clip_heads=4,
             sam_w=64, sam_layers=2, sam_heads=4, sam_global=(1,), prompt_text=75)
N_IMAGE_TOKENS = 576
SEGS_PER_IMAGE = 3


# ------------------------------------------------------------------------------------------ GLaMM-shaped parts

class RMSNorm(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        h = x.to(torch.float32)
        return self.weight * (h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + 1e-6)).to(x.dtype)


class LlamaLayer(nn.Module):
    """transformers' LlamaDecoderLayer attribute layout (what LlamaStep runs)."""

    def __init__(self, d, mlp):
        super().__init__()
        self.input_layernorm = RMSNorm(d)
        self.post_attention_layernorm = RMSNorm(d)
        self.self_attn = nn.Module()
        for n in ["q_proj", "k_proj", "v_proj", "o_proj"]:
            setattr(self.self_attn, n, nn.Linear(d, d, bias=False))
        self.mlp = LlamaMlp(d, mlp)


class LlamaMlp(nn.Module):
    def __init__(self, d, mlp):
        super().__init__()
        self.gate_proj = nn.Linear(d, mlp, bias=False)
        self.up_proj = nn.Linear(d, mlp, bias=False)
        self.down_proj = nn.Linear(mlp, d, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


def attention(q, k, v, heads):
    """Plain matmul-softmax attention (what transformers 4.28's CLIP and SAM's code do; no fused kernel)."""
    b, n, c = q.shape
    m = k.size(1)
    q = q.view(b, n, heads, c // heads).transpose(1, 2)
    k = k.view(b, m, heads, c // heads).transpose(1, 2)
    v = v.view(b, m, heads, c // heads).transpose(1, 2)
    w = torch.softmax(torch.matmul(q, k.transpose(2, 3)) / math.sqrt(c // heads), dim=-1)
    return torch.matmul(w, v).transpose(1, 2).reshape(b, n, c)


class VitBlock(nn.Module):
    def __init__(self, w, heads, window=0, quick_gelu=False):
        super().__init__()
        self.norm1 = nn.LayerNorm(w)
        self.qkv = nn.Linear(w, 3 * w)
        self.proj = nn.Linear(w, w)
        self.norm2 = nn.LayerNorm(w)
        self.fc1 = nn.Linear(w, 4 * w)
        self.fc2 = nn.Linear(4 * w, w)
        self.heads = heads
        self.window = window
        self.quick_gelu = quick_gelu

    def attn(self, x):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        return self.proj(attention(q, k, v, self.heads))

    def forward(self, x):
        # x [B, H, W, C] (SAM) or [B, N, C] (CLIP)
        h = self.norm1(x)
        if x.dim() == 4:
            b, hh, ww, c = h.shape
            if self.window:
                s = self.window
                ph, pw = (s - hh % s) % s, (s - ww % s) % s
                h = F.pad(h, (0, 0, 0, pw, 0, ph))
                nh, nw = (hh + ph) // s, (ww + pw) // s
                h = h.view(b, nh, s, nw, s, c).permute(0, 1, 3, 2, 4, 5).reshape(b * nh * nw, s * s, c)
                h = self.attn(h).view(b, nh, nw, s, s, c).permute(0, 1, 3, 2, 4, 5).reshape(b, nh * s, nw * s, c)
                h = h[:, :hh, :ww]
            else:
                h = self.attn(h.reshape(b, hh * ww, c)).view(b, hh, ww, c)
        else:
            h = self.attn(h)
        x = x + h
        h = self.fc1(self.norm2(x))
        h = h * torch.sigmoid(1.702 * h) if self.quick_gelu else F.gelu(h)
        return x + self.fc2(h)


class ClipShaped(nn.Module):
    """CLIP ViT-L/14-336 up to hidden_states[-2] (patch tokens) + GLaMM's mm_projector."""

    def __init__(self, s):
        super().__init__()
        w = s["clip_w"]
        self.patch = nn.Conv2d(3, w, 14, 14, bias=False)
        self.cls = nn.Parameter(torch.zeros(1, 1, w))
        self.pos = nn.Parameter(torch.zeros(1, N_IMAGE_TOKENS + 1, w))
        self.pre_norm = nn.LayerNorm(w)
        self.blocks = nn.ModuleList([VitBlock(w, s["clip_heads"], quick_gelu=True) for _ in range(s["clip_layers"])])
        self.mm_projector = nn.Sequential(nn.Linear(w, s["d"]), nn.GELU(), nn.Linear(s["d"], s["d"]))

    def forward(self, image):
        x = self.patch(image).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.size(0), -1, -1), x], 1) + self.pos
        x = self.pre_norm(x)
        for blk in self.blocks:
            x = blk(x)
        return self.mm_projector(x[:, 1:])


class LayerNorm2d(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(c))
        self.bias = nn.Parameter(torch.zeros(c))

    def forward(self, x):
        u = x.mean(1, keepdim=True)
        s = (x - u).pow(2).mean(1, keepdim=True)
        return self.weight[:, None, None] * ((x - u) / torch.sqrt(s + 1e-6)) + self.bias[:, None, None]


class SamShaped(nn.Module):
    """SAM ViT-H image encoder shapes (relative position terms left out: a small share of its cost)."""

    def __init__(self, s, out=256):
        super().__init__()
        w = s["sam_w"]
        self.patch = nn.Conv2d(3, w, 16, 16)
        self.pos = nn.Parameter(torch.zeros(1, 64, 64, w))
        self.blocks = nn.ModuleList([VitBlock(w, s["sam_heads"], window=0 if i in s["sam_global"] else 14)
                                     for i in range(s["sam_layers"])])
        self.neck = nn.Sequential(nn.Conv2d(w, out, 1, bias=False), LayerNorm2d(out),
                                  nn.Conv2d(out, out, 3, padding=1, bias=False), LayerNorm2d(out))

    def forward(self, image):
        x = self.patch(image).permute(0, 2, 3, 1) + self.pos
        for blk in self.blocks:
            x = blk(x)
        return self.neck(x.permute(0, 3, 1, 2))


class TwoWayLayer(nn.Module):
    def __init__(self, c=256, mlp=2048, heads=8):
        super().__init__()
        self.heads = heads
        self.self_q, self.self_k, self.self_v, self.self_o = (nn.Linear(c, c) for _ in range(4))
        self.t2i_q, self.t2i_k, self.t2i_v = (nn.Linear(c, c // 2) for _ in range(3))
        self.t2i_o = nn.Linear(c // 2, c)
        self.i2t_q, self.i2t_k, self.i2t_v = (nn.Linear(c, c // 2) for _ in range(3))
        self.i2t_o = nn.Linear(c // 2, c)
        self.mlp = nn.Sequential(nn.Linear(c, mlp), nn.ReLU(), nn.Linear(mlp, c))
        self.norms = nn.ModuleList([nn.LayerNorm(c) for _ in range(4)])

    def forward(self, t, img):
        t = self.norms[0](t + self.self_o(attention(self.self_q(t), self.self_k(t), self.self_v(t), self.heads)))
        t = self.norms[1](t + self.t2i_o(attention(self.t2i_q(t), self.t2i_k(img), self.t2i_v(img), self.heads)))
        t = self.norms[2](t + self.mlp(t))
        img = self.norms[3](img + self.i2t_o(attention(self.i2t_q(img), self.i2t_k(t), self.i2t_v(t), self.heads)))
        return t, img


class PixelDecoderShaped(nn.Module):
    """text_hidden_fcs + SAM-sized prompt/mask decoder: [N,D], [N,256,64,64] -> [N,1,256,256]."""

    def __init__(self, s, c=256):
        super().__init__()
        self.text_hidden_fcs = nn.Sequential(nn.Linear(s["d"], s["d"]), nn.ReLU(), nn.Linear(s["d"], c))
        self.tokens = nn.Parameter(torch.zeros(1, 5, c))          # iou + 4 mask tokens
        self.no_mask = nn.Parameter(torch.zeros(1, c, 1, 1))
        self.pe = nn.Parameter(torch.zeros(1, c, 64, 64))
        self.layers = nn.ModuleList([TwoWayLayer(c) for _ in range(2)])
        self.up1 = nn.ConvTranspose2d(c, c // 4, 2, 2)
        self.up_norm = LayerNorm2d(c // 4)
        self.up2 = nn.ConvTranspose2d(c // 4, c // 8, 2, 2)
        self.hyper = nn.Sequential(nn.Linear(c, c), nn.ReLU(), nn.Linear(c, c), nn.ReLU(), nn.Linear(c, c // 8))

    def forward(self, seg_hidden, embedding):
        n = seg_hidden.size(0)
        sparse = self.text_hidden_fcs(seg_hidden).unsqueeze(1)
        t = torch.cat([self.tokens.expand(n, -1, -1), sparse], 1)
        src = embedding + self.no_mask
        img = (src + self.pe).flatten(2).transpose(1, 2)
        for layer in self.layers:
            t, img = layer(t, img)
        up = F.gelu(self.up2(F.gelu(self.up_norm(self.up1(img.transpose(1, 2).reshape(n, -1, 64, 64))))))
        h = self.hyper(t[:, 1])
        return (h[:, None, :] @ up.flatten(2)).view(n, 1, 256, 256)


def glamm_shaped(s, dtype, device, max_positions=4096):
    """Random weights of GLaMM's shapes, made on the device itself where torch allows it (torch >= 2: a 7B model
    initialised on the GPU in seconds, layer by layer, so float32 never holds all of it)."""
    on_device = contextlib.nullcontext()
    try:
        with device:
            pass
        on_device = device
    except (AttributeError, TypeError):      # torch 1.x: build on the CPU, then move
        pass
    with on_device:
        layers = [LlamaLayer(s["d"], s["mlp"]).to(device=device, dtype=dtype) for _ in range(s["layers"])]
        norm = RMSNorm(s["d"]).to(device=device, dtype=dtype)
        head = nn.Linear(s["d"], s["vocab"], bias=False).to(device=device, dtype=dtype)
        modules = {"global_encoder": ClipShaped(s), "embed_tokens": nn.Embedding(s["vocab"], s["d"]),
                   "grounding_encoder": SamShaped(s), "pixel_decoder": PixelDecoderShaped(s)}
        parts = {name: WRAPPERS[name](m.to(device=device, dtype=dtype), dtype).eval() for name, m in modules.items()}
    dh = s["d"] // s["heads"]
    cos, sin = rope_tables(dh, max_positions)
    parts["language_model"] = LlamaStep(layers, norm, head, cos.to(device), sin.to(device), s["heads"], dh,
                                        dtype).eval()
    meta = {"dtype": {torch.bfloat16: "bfloat16", torch.float32: "float32"}[dtype], "num_layers": s["layers"],
            "num_heads": s["heads"], "head_dim": dh, "hidden_size": s["d"]}
    return parts, meta


def trace_all(parts, s, meta, device, dtype):
    """The export's tracing (glamm_parts.trace_checked) on this device; returns traced parts and device constants."""
    f = dict(dtype=torch.float32, device=device)
    cache = lambda b, n: torch.zeros(meta["num_layers"], 2, b, meta["num_heads"], n, meta["head_dim"], dtype=dtype,
                                     device=device)
    examples = {
        "global_encoder": ((torch.randn(1, 3, 336, 336, **f),), [(torch.randn(2, 3, 336, 336, **f),)]),
        "embed_tokens": ((torch.randint(0, s["vocab"], (1, 3), device=device),),
                         [(torch.randint(0, s["vocab"], (2, 1), device=device),)]),
        "language_model": ((torch.randn(1, 5, s["d"], **f), cache(1, 8), torch.arange(0, 5, device=device)),
                           [(torch.randn(2, 1, s["d"], **f), cache(2, 40), torch.arange(30, 31, device=device))]),
        "grounding_encoder": ((torch.randn(1, 3, 1024, 1024, **f),), []),
        "pixel_decoder": ((torch.randn(2, s["d"], **f), torch.randn(2, 256, 64, 64, **f)),
                          [(torch.randn(3, s["d"], **f), torch.randn(3, 256, 64, 64, **f))]),
    }
    traced, devices = {}, {}
    tol = 1e-3 if dtype == torch.float32 else 0.1
    for name, (example, checks) in examples.items():
        traced[name], devices[name] = trace_checked(parts[name], example, checks, name, tol)
    return traced, devices


# ------------------------------------------------------------------------------------------------ measuring

def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def timed(device, fn):
    sync(device)
    t0 = time.perf_counter()
    out = fn()
    sync(device)
    return out, time.perf_counter() - t0


def prompt(s):
    """A GCG-sized prompt: ~75 text tokens around the image."""
    ids = [10 + i % (s["vocab"] - 10) for i in range(s["prompt_text"])]
    return [1] + ids[:40] + [worker_loop.IMAGE_TOKEN_INDEX] + ids[40:]


@torch.no_grad()
def run_batch(parts, meta, s, b, tokens, device, no_cache=False):
    """One batch through the worker's loop with a fixed number of tokens and 3 [SEG]s per image; stage times."""
    t = {}
    clip = torch.randn(b, 3, 336, 336, device=device)
    sam = torch.randn(b, 3, 1024, 1024, device=device)
    img_tok, t["global_encoder"] = timed(device, lambda: parts["global_encoder"](clip))
    x, t["prompt_embed"] = timed(device, lambda: worker_loop.prompt_embeddings(parts["embed_tokens"], prompt(s),
                                                                                img_tok))
    t0 = x.size(1)
    if no_cache:
        # infer.py: use_cache=False, every token recomputes the whole sequence; measured at 3 lengths, integrated
        lengths = [t0, t0 + tokens // 2, t0 + tokens]
        per = []
        for n in lengths:
            xs = torch.randn(b, n, meta["hidden_size"], device=device)
            c = worker_loop.new_cache(meta, b, n, device)
            _, dt = timed(device, lambda: parts["language_model"](xs, c, torch.arange(0, n, device=device)))
            per.append(dt)
        t["prefill"] = per[0]
        t["decode_steps"] = tokens * (per[0] + 4 * per[1] + per[2]) / 6      # Simpson over the answer
    else:
        cache = worker_loop.new_cache(meta, b, t0 + tokens, device)
        (_, _, cache), t["prefill"] = timed(device, lambda: parts["language_model"](
            x, cache, torch.arange(0, t0, device=device)))
        nxt = torch.full((b, 1), 5, dtype=torch.long, device=device)

        def decode():
            c = cache
            for i in range(1, tokens):
                e = parts["embed_tokens"](nxt)
                logits, hidden, c = parts["language_model"](e, c, torch.arange(t0 + i - 1, t0 + i, device=device))
                logits.argmax(-1)        # the worker reads the argmax every step
            return c
        _, t["decode_steps"] = timed(device, decode)
    emb, t["grounding_encoder"] = timed(device, lambda: parts["grounding_encoder"](sam))
    seg = torch.randn(b * SEGS_PER_IMAGE, meta["hidden_size"], device=device)
    owner = torch.arange(b, device=device).repeat_interleave(SEGS_PER_IMAGE)
    _, t["pixel_decoder"] = timed(device, lambda: parts["pixel_decoder"](seg, emb.index_select(0, owner)))
    return t


def measure(parts, meta, s, batches, tokens, device, label, rows, no_cache_too=False):
    run_batch(parts, meta, s, 1, min(tokens, 4), device)             # warm-up (cuDNN/cuBLAS autotuning, JIT)
    configs = [(b, False) for b in batches] + ([(1, True)] if no_cache_too else [])
    for b, no_cache in configs:
        if device.type == "cuda":
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats(device)
        try:
            t = run_batch(parts, meta, s, b, tokens, device, no_cache)
        except RuntimeError as e:          # out of memory at a large batch: say so, go on
            rows.append({"model": label, "batch": b, "design": "infer.py" if no_cache else "worker",
                         "error": str(e).splitlines()[0]})
            print(rows[-1])
            continue
        total = sum(t.values())
        row = {"model": label, "batch": b, "design": "infer.py (B=1, no KV cache)" if no_cache else "worker",
               "tokens": tokens, "images_per_s": b / total,
               "decode_tokens_per_s": b * (tokens - 1) / t["decode_steps"] if t["decode_steps"] else None,
               "ms_per_token_step": 1000 * t["decode_steps"] / max(tokens - 1, 1),
               "peak_gib": torch.cuda.max_memory_allocated(device) / 2**30 if device.type == "cuda" else None,
               "stage_s": {k: round(v, 4) for k, v in t.items()}}
        rows.append(row)
        print(json.dumps(row))


def markdown(rows, env):
    out = [f"GPU check, {env['date']}: {env['device_name']}, torch {env['torch']}, CUDA {env['cuda']}, "
           f"{env['mode']} mode, {env['tokens']} tokens and {SEGS_PER_IMAGE} [SEG]s per image", "",
           "| model | design | batch | images/s | decode tokens/s | ms per step | peak GiB |",
           "|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        if "error" in r:
            out.append(f"| {r['model']} | {r['design']} | {r['batch']} | {r['error']} | | | |")
            continue
        peak = f"{r['peak_gib']:.1f}" if r["peak_gib"] is not None else "-"
        out.append(f"| {r['model']} | {r['design']} | {r['batch']} | {r['images_per_s']:.3f} | "
                   f"{r['decode_tokens_per_s']:.1f} | {r['ms_per_token_step']:.1f} | {peak} |")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--small", action="store_true", help="small widths/depths (a CPU check of the script)")
    ap.add_argument("--batches", default=None, help="comma-separated batch sizes (default 1,8,16; --small: 1,2)")
    ap.add_argument("--tokens", type=int, default=None, help="tokens generated per image (default 128; small: 6)")
    ap.add_argument("--skip-tiny", action="store_true")
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    args = ap.parse_args()
    device = torch.device(args.device)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise SystemExit("--device cuda but torch sees no CUDA device")
        device = torch.device("cuda", torch.cuda.current_device())
    s = SMALL if args.small else REAL
    batches = [int(b) for b in (args.batches or ("1,2" if args.small else "1,8,16")).split(",")]
    tokens = args.tokens or (6 if args.small else 128)
    dtype = torch.bfloat16 if device.type == "cuda" else torch.float32
    os.makedirs(args.out, exist_ok=True)
    env = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "torch": torch.__version__,
           "cuda": torch.version.cuda, "device": str(device), "mode": "small" if args.small else "GLaMM-shaped",
           "device_name": torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU",
           "tokens": tokens, "dtype": str(dtype)}
    print(json.dumps(env))
    rows = []
    torch.manual_seed(0)

    if not args.skip_tiny:
        import tiny_glamm
        with tempfile.TemporaryDirectory() as tmp:
            tiny_glamm.write_tiny(tmp, None, "float32", str(device))      # traced on the device, batch check inside
            with open(os.path.join(tmp, "glamm.json")) as fh:
                tmeta = json.load(fh)
            env["tiny_device_constants"] = tmeta["device_constants"]
            tparts = worker_loop.load_parts(tmp, device)
            ts = dict(SMALL, d=tmeta["hidden_size"], vocab=tmeta["vocab_size"],
                      prompt_text=len(tmeta["prompt_ids"]) - 2)
            with torch.jit.optimized_execution(False):       # as the worker runs DJL (graph optimizer off)
                measure(tparts, tmeta, ts, batches, min(tokens, 17), device, "tiny", rows)

    t0 = time.perf_counter()
    parts, meta = glamm_shaped(s, dtype, device)
    print(f"built GLaMM-shaped random model in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    traced, devices = trace_all(parts, s, meta, device, dtype)
    env["traced_in_s"] = round(time.perf_counter() - t0, 1)
    env["device_constants"] = devices
    if device.type == "cuda":
        env["weights_gib"] = torch.cuda.memory_allocated(device) / 2**30
    del parts
    with torch.jit.optimized_execution(False):
        measure(traced, meta, s, batches, tokens, device, "GLaMM-shaped" if not args.small else "small", rows,
                no_cache_too=True)

    md = markdown(rows, env)
    print(md)
    with open(os.path.join(args.out, "gpu-check.json"), "w") as fh:
        json.dump({"env": env, "rows": rows}, fh, indent=1)
    with open(os.path.join(args.out, "gpu-check.md"), "w") as fh:
        fh.write(md)


if __name__ == "__main__":
    main()
