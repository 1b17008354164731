"""Tiny random-weight GLaMM parts with the real signatures, plus reference tensors for the Java tests.

Run by `export_glamm.py --tiny OUT_DIR`; needs only torch (Debian python3-torch 1.13 works), numpy and PIL.
"""
import json
import math
import os
import re

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

from io_wrappers import WRAPPERS
from glamm_common import gcg_prompt, glamm_json, check_generation_settings, CLIP_MEAN, CLIP_STD, SAM_MEAN, SAM_STD
from glamm_parts import LlamaStep, PromptDecoder, prompt_decoder_examples, rope_tables, trace_part
import worker_loop

D = 32          # hidden size (real: 4096)
H = 2           # heads (real: 32)
DH = D // H     # head dim (real: 128)
L = 2           # layers (real: 32)
C = 8           # prompt embedding channels of the grounding encoder (real: 256)
N_IMG = 36      # image tokens (real: 576)
MAX_POSITIONS = 2048   # rotary table (LLaMA: max_position_embeddings)

SPECIAL = ["<unk>", "<s>", "</s>"]
ADDED = ["<im_start>", "<im_end>", "<bbox>", "<point>", "[SEG]", "<p>", "</p>"]
# What the tiny language model says, whatever the image: two phrases, two [SEG].
ANSWER = "The image shows a <p> cat </p> [SEG] sitting on a <p> mat </p> [SEG] ."
WORD_RE = re.compile(r"\w+|[^\w\s]+")  # the `Whitespace` pre-tokenizer of HF tokenizers


class TinyTokenizer:
    """WordLevel + Whitespace pre-tokenizer + added tokens + `<s> $A` template: what tokenizer.json describes."""

    def __init__(self, texts):
        words = []
        for t in texts:
            for piece in self._split_added(t):
                if piece not in ADDED:
                    for w in WORD_RE.findall(piece):
                        if w not in words:
                            words.append(w)
        self.vocab = {}
        for t in SPECIAL + words + ADDED:
            self.vocab[t] = len(self.vocab)

    @staticmethod
    def _split_added(text):
        return [p for p in re.split("(" + "|".join(re.escape(a) for a in ADDED) + ")", text) if p]

    def encode(self, text, add_bos=True):
        ids = [self.vocab["<s>"]] if add_bos else []
        for piece in self._split_added(text):
            if piece in ADDED:
                ids.append(self.vocab[piece])
            else:
                ids.extend(self.vocab.get(w, 0) for w in WORD_RE.findall(piece))
        return ids

    def to_json(self):
        added = [{"id": self.vocab[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                  "normalized": False, "special": t in SPECIAL} for t in SPECIAL + ADDED]
        bos = self.vocab["<s>"]
        return {
            "version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
            "normalizer": None, "pre_tokenizer": {"type": "Whitespace"},
            "post_processor": {
                "type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                         {"Sequence": {"id": "B", "type_id": 1}}],
                "special_tokens": {"<s>": {"id": "<s>", "ids": [bos], "tokens": ["<s>"]}}},
            "decoder": None,
            "model": {"type": "WordLevel", "vocab": self.vocab, "unk_token": "<unk>"},
        }


def tokenizer_image_token(prompt, tok, image_token_index=-200):
    """LLaVA's mm_utils.tokenizer_image_token: each chunk tokenised with BOS, BOS of every chunk dropped but one."""
    chunks = [tok.encode(c) for c in prompt.split("<image>")]
    out, offset = [], 0
    if chunks and chunks[0] and chunks[0][0] == tok.vocab["<s>"]:
        offset = 1
        out.append(chunks[0][0])
    sep = [image_token_index] * (offset + 1)
    seq = []
    for c in chunks:
        seq.append(c)
        seq.append(sep)
    for x in seq[:-1]:
        out.extend(x[offset:])
    return out


class GlobalEncoder(nn.Module):
    """CLIP stand-in: patch-14 conv (24x24 patches like ViT-L/14-336), pooled to 6x6, MLP projector."""

    def __init__(self):
        super().__init__()
        self.patch = nn.Conv2d(3, 8, kernel_size=14, stride=14)
        self.pool = nn.AvgPool2d(4)
        self.mm_projector = nn.Sequential(nn.Linear(8, D), nn.GELU(), nn.Linear(D, D))

    def forward(self, image_clip):
        x = self.pool(self.patch(image_clip))          # [B,8,6,6]
        x = x.flatten(2).transpose(1, 2)                 # [B,36,8]
        return self.mm_projector(x)                      # [B,36,D]


class EmbedTokens(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab_size, D)

    def forward(self, ids):
        return self.embed_tokens(ids)


class RMSNorm(nn.Module):
    """transformers' LlamaRMSNorm (variance in float32)."""

    def __init__(self, dim: int):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim) + 0.1 * torch.randn(dim))

    def forward(self, x):
        h = x.to(torch.float32)
        h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + 1e-6)
        return self.weight * h.to(x.dtype)


class Mlp(nn.Module):
    """transformers' LlamaMLP: down(silu(gate(x)) * up(x))."""

    def __init__(self):
        super().__init__()
        self.gate_proj = nn.Linear(D, 2 * D, bias=False)
        self.up_proj = nn.Linear(D, 2 * D, bias=False)
        self.down_proj = nn.Linear(2 * D, D, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q_proj = nn.Linear(D, D, bias=False)
        self.k_proj = nn.Linear(D, D, bias=False)
        self.v_proj = nn.Linear(D, D, bias=False)
        self.o_proj = nn.Linear(D, D, bias=False)


class DecoderLayer(nn.Module):
    """The attribute layout of transformers' LlamaDecoderLayer, which glamm_parts.LlamaStep runs."""

    def __init__(self):
        super().__init__()
        self.input_layernorm = RMSNorm(D)
        self.self_attn = Attention()
        self.post_attention_layernorm = RMSNorm(D)
        self.mlp = Mlp()


class ScriptedAnswer(nn.Module):
    """The tiny answer, forced on top of the real (random) LlamaStep: the step whose last position is
    prompt_len-1+i gets +100 on `script[i]`, then `</s>` (the tiny random weights would otherwise babble). Keyed by
    position, so it relies on the positions and the cache being right; hidden states stay real outputs. Tensor ops
    only: it is traced like the real export."""

    def __init__(self, step: nn.Module, vocab_size: int, script, prompt_len: int, eos_id: int):
        super().__init__()
        self.step = step
        self.register_buffer("script", torch.tensor(script + [eos_id], dtype=torch.long))
        self.prompt_len = prompt_len
        self.vocab_size = vocab_size

    def forward(self, embeds, cache, positions):
        logits, hidden, cache = self.step(embeds, cache, positions)
        i = positions[-1] + 1 - self.prompt_len
        tok = self.script[i.clamp(0, self.script.size(0) - 1)]
        on = (i >= 0).to(logits.dtype)
        return logits + 100.0 * on * F.one_hot(tok, self.vocab_size).to(logits.dtype)[None], hidden, cache


def language_model(vocab_size, script, prompt_len, eos_id, dtype):
    layers = [DecoderLayer() for _ in range(L)]
    norm = RMSNorm(D)
    lm_head = nn.Linear(D, vocab_size, bias=False)
    cos, sin = rope_tables(DH, MAX_POSITIONS)
    for m in layers + [norm, lm_head]:
        m.to(dtype)
    step = LlamaStep(layers, norm, lm_head, cos, sin, H, DH, dtype)
    return ScriptedAnswer(step, vocab_size, script, prompt_len, eos_id)


class GroundingEncoder(nn.Module):
    """SAM image encoder stand-in: 1024x1024 -> C x 64 x 64."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, C, kernel_size=16, stride=16)

    def forward(self, image):
        return torch.tanh(self.conv(image))


class PixelDecoder(nn.Module):
    """text_hidden_fcs (Linear, ReLU, Linear) + a stand-in for SAM's prompt encoder and mask decoder."""

    def __init__(self):
        super().__init__()
        self.text_hidden_fcs = nn.Sequential(nn.Linear(D, D), nn.ReLU(), nn.Linear(D, C))

    def forward(self, seg_hidden, embedding):
        p = self.text_hidden_fcs(seg_hidden)                                  # [N,C]
        m = torch.einsum("nc,nchw->nhw", p, embedding).unsqueeze(1)          # [N,1,64,64]
        m = m - m.mean(dim=(2, 3), keepdim=True)
        return F.interpolate(m, size=(256, 256), mode="bilinear", align_corners=False)


class TinyPositionEmbedding(nn.Module):
    """Stand-in for SAM's PositionEmbeddingRandom: the normalised (x, y) in channels 0 and 1, zeros elsewhere (the
    tiny decoder reads the coordinates back; SAM's random Fourier features are not invertible)."""

    def forward_with_coords(self, coords, image_size):
        xy = torch.stack([coords[..., 0] / image_size[1], coords[..., 1] / image_size[0]], dim=-1)
        return F.pad(xy, (0, C - 2))

    def grid(self):
        c = (torch.arange(64, dtype=torch.float32) + 0.5) / 64
        return torch.stack([c.view(1, 64).expand(64, 64), c.view(64, 1).expand(64, 64)])   # [2,64,64]: x, y


class TinyPromptEncoder(nn.Module):
    """The attributes of SAM's PromptEncoder that glamm_parts.PromptDecoder uses: the label embeddings are one-hot
    in channels 2..5 (so the tiny decoder can tell clicks from box corners), not_a_point is zero, the mask
    downscaling is an average pool to 64x64 in channel 6."""

    def __init__(self):
        super().__init__()
        self.pe_layer = TinyPositionEmbedding()
        self.point_embeddings = nn.ModuleList([nn.Embedding(1, C) for _ in range(4)])
        with torch.no_grad():
            for k, e in enumerate(self.point_embeddings):
                e.weight.zero_()
                e.weight[0, 2 + k] = 1.0
        self.not_a_point_embed = nn.Embedding(1, C)
        self.no_mask_embed = nn.Embedding(1, C)
        with torch.no_grad():
            self.not_a_point_embed.weight.zero_()
            self.no_mask_embed.weight.zero_()
        self.mask_downscaling = nn.Sequential(nn.AvgPool2d(4), nn.ConstantPad3d((0, 0, 0, 0, 6, C - 7), 0.0))
        self.register_buffer("dense_pe", F.pad(self.pe_layer.grid(), (0, 0, 0, 0, 0, C - 2))[None])

    def get_dense_pe(self):
        return self.dense_pe


class TinyMaskDecoder(nn.Module):
    """Stand-in for SAM's MaskDecoder with SAM's keyword signature: per click a bump around it plus the cosine
    similarity of the image embedding to the embedding under the click (so the answer depends on the image),
    added for positive and subtracted for negative clicks; a box adds inside and subtracts outside; a mask input
    adds its logits. Three masks (thresholds -1, 0, +1) and an "IoU" per mask, like multimask_output=True."""

    def forward(self, image_embeddings, image_pe, sparse_prompt_embeddings, dense_prompt_embeddings,
                multimask_output: bool):
        s = sparse_prompt_embeddings                                    # [B,P,C]
        xy, pos, neg, tl, br = s[..., 0:2], s[..., 3], s[..., 2], s[..., 4:5], s[..., 5:6]
        gx, gy = image_pe[:, 0:1], image_pe[:, 1:2]                      # [1,1,64,64]
        px, py = xy[..., 0][..., None, None], xy[..., 1][..., None, None]   # [B,P,1,1]
        bump = torch.exp(-((gx - px) ** 2 + (gy - py) ** 2) / (2 * 0.08 ** 2))   # [B,P,64,64]
        at = F.grid_sample(image_embeddings, (xy * 2 - 1)[:, :, None, :], mode="bilinear",
                           align_corners=False)                          # [B,C,P,1]
        sim = F.cosine_similarity(image_embeddings[:, :, None], at[..., None], dim=1)   # [B,P,64,64]
        sign = (pos - neg)[..., None, None]
        clicks = (sign * (4 * bump + 2 * sim)).sum(1)                    # [B,64,64]
        a = (tl * xy).sum(1)                                             # [B,2] top-left (zero without a box)
        b = (br * xy).sum(1)
        has_box = tl.sum(1)[:, :, None]                                  # [B,1,1]
        inside = (torch.sigmoid((gx[:, 0] - a[:, 0, None, None]) * 200) * torch.sigmoid((b[:, 0, None, None] - gx[:, 0]) * 200)
                  * torch.sigmoid((gy[:, 0] - a[:, 1, None, None]) * 200) * torch.sigmoid((b[:, 1, None, None] - gy[:, 0]) * 200))
        logit = clicks + has_box * (6 * inside - 3) + dense_prompt_embeddings[:, 6] - 1.0
        m = torch.stack([logit - 1, logit, logit + 1], dim=1)            # [B,3,64,64]
        low_res = F.interpolate(m, size=(256, 256), mode="bilinear", align_corners=False)
        iou = torch.sigmoid(m.mean(dim=(2, 3)))
        return low_res, iou


def prompt_decoder(tdt):
    return PromptDecoder(TinyPromptEncoder(), TinyMaskDecoder()).to(tdt)


# ---------------------------------------------------------------- reference preprocessing (what GLaMM does)

def clip_reference(img_rgb: np.ndarray):
    """transformers CLIPImageProcessor (slow): PIL bicubic, shortest edge 336, centre crop, rescale, normalise."""
    h, w = img_rgb.shape[:2]
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = 336, int(336 * long / short)
    nw, nh = (new_short, new_long) if w <= h else (new_long, new_short)
    resized = np.array(Image.fromarray(img_rgb).resize((nw, nh), resample=Image.BICUBIC))
    top, left = (nh - 336) // 2, (nw - 336) // 2
    crop = resized[top:top + 336, left:left + 336]
    x = crop.astype(np.float32) * np.float32(1 / 255)
    x = (x - np.array(CLIP_MEAN, dtype=np.float32)) / np.array(CLIP_STD, dtype=np.float32)
    return crop, x.transpose(2, 0, 1).astype(np.float32)


def sam_reference(img_rgb: np.ndarray):
    """segment_anything ResizeLongestSide.apply_image (torchvision resize of a PIL image: PIL bilinear) and
    GLaMM's grounding_image_ecoder_preprocess (normalise on 0-255, zero-pad right/bottom to 1024)."""
    h, w = img_rgb.shape[:2]
    scale = 1024 * 1.0 / max(h, w)
    nh, nw = int(h * scale + 0.5), int(w * scale + 0.5)
    resized = np.array(Image.fromarray(img_rgb).resize((nw, nh), resample=Image.BILINEAR))
    x = torch.from_numpy(resized).permute(2, 0, 1).contiguous().float()
    x = (x - torch.tensor(SAM_MEAN).view(-1, 1, 1)) / torch.tensor(SAM_STD).view(-1, 1, 1)
    x = F.pad(x, (0, 1024 - nw, 0, 1024 - nh))
    return resized, x.numpy()


def postprocess_reference(low_res: torch.Tensor, resized_hw, original_hw):
    """SAM postprocess_masks as GLaMM calls it, then `> 0`."""
    m = F.interpolate(low_res.float(), (1024, 1024), mode="bilinear", align_corners=False)
    m = m[..., : resized_hw[0], : resized_hw[1]]
    m = F.interpolate(m, original_hw, mode="bilinear", align_corners=False)
    return m[:, 0]


def rle_counts(mask: np.ndarray):
    """Uncompressed COCO RLE counts (column-major, background first)."""
    flat = mask.T.flatten().astype(np.uint8)
    counts, cur, run = [], 0, 0
    for v in flat:
        if v != cur:
            counts.append(run)
            run, cur = 0, v
        run += 1
    counts.append(run)
    return counts


def synthetic_image(w, h, seed):
    """A smooth image with a few hard edges (compresses well as PNG, exercises the filters)."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    img = np.zeros((h, w, 3), np.float32)
    img[..., 0] = 255 * xx / max(w - 1, 1)
    img[..., 1] = 255 * yy / max(h - 1, 1)
    img[..., 2] = 128 + 100 * np.sin(xx / 9.0) * np.cos(yy / 13.0)
    for _ in range(4):
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(min(w, h) / 10, min(w, h) / 4)
        color = rng.uniform(0, 255, 3)
        img[(xx - cx) ** 2 + (yy - cy) ** 2 < r * r] = color
    img[h // 3: h // 3 + 3, :, :] = 0          # a thin dark line
    return np.clip(img + 0.5, 0, 255).astype(np.uint8)


def write_tiny(out_dir: str, fixtures_dir: str = None, dtype: str = "float32", device: str = "cpu"):
    torch.manual_seed(1234)
    tdt = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[dtype]
    dev = torch.device(device)
    if dev.type == "cuda" and dev.index is None:
        dev = torch.device("cuda", torch.cuda.current_device())
    os.makedirs(out_dir, exist_ok=True)
    check_generation_settings({}, "tiny model")
    prompt = gcg_prompt()
    tok = TinyTokenizer([prompt.replace("<image>", " "), ANSWER])
    vocab_size = len(tok.vocab)
    with open(os.path.join(out_dir, "tokenizer.json"), "w") as f:
        json.dump(tok.to_json(), f, indent=1)

    prompt_ids = tokenizer_image_token(prompt, tok)
    prompt_len = len(prompt_ids) - 1 + N_IMG
    script = tok.encode(ANSWER, add_bos=False)
    eos = tok.vocab["</s>"]

    f32 = dict(dtype=torch.float32, device=dev)
    cache = lambda b, s: torch.zeros(L, 2, b, H, s, DH, dtype=tdt, device=dev)
    pos = lambda a, b: torch.arange(a, b, device=dev)
    ids = lambda *shape: torch.randint(0, vocab_size, shape, device=dev)
    # (module, example it is traced with, other inputs it is checked at); the same weights in the export dtype,
    # float32 at the interface
    parts = {
        "global_encoder": (WRAPPERS["global_encoder"](GlobalEncoder().to(tdt), tdt),
                           (torch.randn(1, 3, 336, 336, **f32),), [(torch.randn(3, 3, 336, 336, **f32),)]),
        "embed_tokens": (WRAPPERS["embed_tokens"](EmbedTokens(vocab_size).to(tdt), tdt), (ids(1, 3),),
                         [(ids(1, 1),), (ids(4, 7),)]),
        "language_model": (language_model(vocab_size, script, prompt_len, eos, tdt),
                           (torch.randn(1, 4, D, **f32), cache(1, 9), pos(0, 4)),
                           [(torch.randn(2, 11, D, **f32), cache(2, 20), pos(0, 11)),
                            (torch.randn(3, 1, D, **f32), cache(3, 90) + 0.1, pos(80, 81))]),
        "grounding_encoder": (WRAPPERS["grounding_encoder"](GroundingEncoder().to(tdt), tdt),
                              (torch.randn(1, 3, 1024, 1024, **f32),), [(torch.randn(2, 3, 1024, 1024, **f32),)]),
        "pixel_decoder": (WRAPPERS["pixel_decoder"](PixelDecoder().to(tdt), tdt),
                          (torch.randn(2, D, **f32), torch.randn(2, C, 64, 64, **f32)),
                          [(torch.randn(1, D, **f32), torch.randn(1, C, 64, 64, **f32)),
                           (torch.randn(5, D, **f32), torch.randn(5, C, 64, 64, **f32))]),
    }
    tol = 1e-4 if tdt == torch.float32 else 5e-2
    traced, devices = {}, {}
    for name, (m, example, checks) in parts.items():
        m.to(dev)
        traced[name], devices[name] = trace_part(m.eval(), example, checks, name, out_dir, tol)
    with torch.random.fork_rng(devices=[dev] if dev.type == "cuda" else []):   # the other parts' weights unchanged
        torch.manual_seed(77)
        traced["prompt_decoder"], devices["prompt_decoder"] = trace_prompt_decoder(
            WRAPPERS["prompt_decoder"](prompt_decoder(tdt), tdt).to(dev), out_dir, tol, dev)

    cfg = glamm_json(hidden_size=D, num_image_tokens=N_IMG, num_layers=L, num_heads=H, head_dim=DH,
                     vocab_size=vocab_size, prompt_dim=C, dtype=dtype, tiny=True, device=str(dev),
                     prompt_ids=prompt_ids, device_constants=devices, torch_version=torch.__version__)
    with open(os.path.join(out_dir, "glamm.json"), "w") as f:
        json.dump(cfg, f, indent=1)
    check_batch_equals_single(traced, cfg, prompt_ids, tok, dev)

    if fixtures_dir:
        if tdt != torch.float32:
            raise SystemExit("reference fixtures are written for float32 only")
        write_references(fixtures_dir, traced, cfg, tok, prompt_ids, prompt_len)


def trace_prompt_decoder(module, out_dir, tol, dev):
    emb = torch.tanh(torch.randn(2, C, 64, 64, dtype=torch.float32, device=dev))
    example, checks = prompt_decoder_examples(dev, emb)
    return trace_part(module.eval(), example, checks, "prompt_decoder", out_dir, tol)


def check_batch_equals_single(parts, cfg, prompt_ids, tok, dev):
    """The exported parts in the worker's batched loop: three images at once (one row leaving early) give the ids
    and [SEG] hidden states of one image at a time."""
    imgs = torch.stack([torch.from_numpy(clip_reference(synthetic_image(w, h, s))[1])
                        for w, h, s in [(400, 300, 1), (250, 350, 2), (320, 320, 5)]]).to(dev)
    eos, seg = tok.vocab["</s>"], tok.vocab["[SEG]"]
    budgets = [512, 9, 512]
    ids_b, hid_b = worker_loop.generate(parts, cfg, prompt_ids, imgs, 512, eos, seg, budgets=budgets)
    for i in range(3):
        ids_1, hid_1 = worker_loop.generate(parts, cfg, prompt_ids, imgs[i:i + 1], budgets[i], eos, seg)
        if ids_1[0] != ids_b[i] or hid_1[0].shape != hid_b[i].shape:
            raise SystemExit(f"batched decoding differs from batch 1 on image {i}: {ids_b[i]} vs {ids_1[0]}")
        err = (hid_1[0] - hid_b[i]).abs().max().item() if hid_1[0].numel() else 0.0
        print(f"batch vs single, image {i}: same {len(ids_1[0])} ids, [SEG] hidden max diff {err:.2e}")


def write_references(ref_dir, modules, cfg, tok, prompt_ids, prompt_len):
    os.makedirs(ref_dir, exist_ok=True)
    ref = {"prompt_ids": prompt_ids, "prompt_length_with_image": prompt_len, "images": {}}
    # 1. preprocessing of two images: landscape (CLIP upscales) and portrait (CLIP downscales: antialias path)
    for name, (w, h, seed) in {"landscape": (400, 300, 1), "portrait": (250, 350, 2)}.items():
        img = synthetic_image(w, h, seed)
        Image.fromarray(img).save(os.path.join(ref_dir, name + ".png"), optimize=True)
        clip_u8, clip_x = clip_reference(img)
        sam_u8, sam_x = sam_reference(img)
        Image.fromarray(clip_u8).save(os.path.join(ref_dir, name + "_clip_resized.png"), optimize=True)
        Image.fromarray(sam_u8).save(os.path.join(ref_dir, name + "_sam_resized.png"), optimize=True)
        rng = np.random.default_rng(7)
        ci = [[int(c), int(y), int(x)] for c, y, x in zip(rng.integers(0, 3, 64), rng.integers(0, 336, 64),
                                                           rng.integers(0, 336, 64))]
        si = [[int(c), int(y), int(x)] for c, y, x in zip(rng.integers(0, 3, 64), rng.integers(0, 1024, 64),
                                                           rng.integers(0, 1024, 64))]
        si += [[0, 1023, 1023], [2, 0, 0]]
        ref["images"][name] = {
            "width": w, "height": h,
            "clip": {"shape": list(clip_x.shape), "sum": float(clip_x.astype(np.float64).sum()),
                     "abs_sum": float(np.abs(clip_x.astype(np.float64)).sum()),
                     "samples": [[*i, float(clip_x[tuple(i)])] for i in ci]},
            "sam": {"shape": list(sam_x.shape), "resized_hw": list(sam_u8.shape[:2]),
                    "sum": float(sam_x.astype(np.float64).sum()),
                    "abs_sum": float(np.abs(sam_x.astype(np.float64)).sum()),
                    "samples": [[*i, float(sam_x[tuple(i)])] for i in si]},
        }
    # 2. mask post-processing of fixed low-res logits (stored as float16 so both sides start from the same floats)
    yy, xx = np.mgrid[0:256, 0:256].astype(np.float32)
    l0 = 6 * np.sin(xx / 23.0) * np.cos(yy / 17.0) - 1.0
    l1 = 20 - np.sqrt((xx - 90) ** 2 + (yy - 160) ** 2) * 0.5
    low = np.stack([l0, l1])[:, None].astype(np.float16)
    low.tofile(os.path.join(ref_dir, "mask_logits_2x1x256x256.f16"))
    ref["masks"] = []
    for orig_hw, resized_hw in [((300, 400), (768, 1024)), ((350, 250), (1024, 731)), ((1500, 2250), (683, 1024))]:
        m = postprocess_reference(torch.from_numpy(low.astype(np.float32)), resized_hw, orig_hw).numpy()
        rng = np.random.default_rng(3)
        pts = [[int(n), int(y), int(x)] for n, y, x in zip(rng.integers(0, 2, 64), rng.integers(0, orig_hw[0], 64),
                                                           rng.integers(0, orig_hw[1], 64))]
        ref["masks"].append({"original_hw": list(orig_hw), "resized_hw": list(resized_hw),
                             "counts": [rle_counts(m[i] > 0) for i in range(2)],
                             "samples": [[*p, float(m[tuple(p)])] for p in pts]})
    # 3. the tiny model end to end on the landscape image, run in Python with the exported (traced) parts in a copy
    # of the worker's loop
    img = np.array(Image.open(os.path.join(ref_dir, "landscape.png")).convert("RGB"))
    _, clip_x = clip_reference(img)
    sam_u8, sam_x = sam_reference(img)
    dev = torch.device(cfg["device"])
    eos, seg = tok.vocab["</s>"], tok.vocab["[SEG]"]
    ids, hid = worker_loop.generate(modules, cfg, prompt_ids, torch.from_numpy(clip_x)[None].to(dev), 512, eos, seg)
    masks = worker_loop.masks(modules, torch.from_numpy(sam_x)[None].to(dev), hid, [sam_u8.shape[:2]],
                              [img.shape[:2]])[0].numpy()
    out = ids[0]
    inv = {v: k for k, v in tok.vocab.items()}
    ref["end_to_end"] = {"image": "landscape.png", "output_ids": out,
                         "output_text": " ".join(inv[i] for i in out),
                         "mask_counts": [rle_counts(masks[i]) for i in range(masks.shape[0])],
                         "mask_areas": [int(masks[i].sum()) for i in range(masks.shape[0])]}
    with open(os.path.join(ref_dir, "reference.json"), "w") as f:
        json.dump(ref, f)
