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
from glamm_common import gcg_prompt, glamm_json, CLIP_MEAN, CLIP_STD, SAM_MEAN, SAM_STD

D = 32          # hidden size (real: 4096)
H = 2           # heads (real: 32)
DH = D // H     # head dim (real: 128)
L = 2           # layers (real: 32)
C = 8           # prompt embedding channels of the grounding encoder (real: 256)
N_IMG = 36      # image tokens (real: 576)

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
    def __init__(self, dim: int):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * self.weight


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.input_layernorm = RMSNorm(D)
        self.q_proj = nn.Linear(D, D, bias=False)
        self.k_proj = nn.Linear(D, D, bias=False)
        self.v_proj = nn.Linear(D, D, bias=False)
        self.o_proj = nn.Linear(D, D, bias=False)
        self.post_attention_layernorm = RMSNorm(D)
        self.mlp = nn.Sequential(nn.Linear(D, 2 * D), nn.SiLU(), nn.Linear(2 * D, D))
        self.n_heads = H
        self.head_dim = DH
        self.dim = D
        self.scale = 1.0 / math.sqrt(DH)

    def forward(self, x, past_k, past_v):
        H, DH, D = self.n_heads, self.head_dim, self.dim
        # x [1,T,D]; past_k/v [1,H,S,DH]
        b, t, _ = x.shape
        h = self.input_layernorm(x)
        q = self.q_proj(h).view(b, t, H, DH).transpose(1, 2)
        k = torch.cat([past_k, self.k_proj(h).view(b, t, H, DH).transpose(1, 2)], dim=2)
        v = torch.cat([past_v, self.v_proj(h).view(b, t, H, DH).transpose(1, 2)], dim=2)
        s = past_k.size(2)
        scores = torch.matmul(q, k.transpose(2, 3)) * self.scale        # [1,H,T,S+T]
        qpos = torch.arange(t, device=x.device).view(t, 1) + s
        kpos = torch.arange(s + t, device=x.device).view(1, s + t)
        scores = scores.masked_fill(kpos > qpos, float("-inf"))
        a = torch.matmul(torch.softmax(scores, dim=-1), v).transpose(1, 2).reshape(b, t, D)
        x = x + self.o_proj(a)
        x = x + self.mlp(self.post_attention_layernorm(x))
        return x, k, v


class LanguageModel(nn.Module):
    """One decoding step with a KV cache. The answer is forced by a position-keyed script added to the logits
    (the tiny random weights would otherwise babble): after a prompt of `prompt_len` embeddings the step that
    ends at position prompt_len-1+i gets +100 on `script[i]`, then `</s>`. Hidden states stay real outputs."""

    def __init__(self, vocab_size: int, script, prompt_len: int, eos_id: int):
        super().__init__()
        self.layers = nn.ModuleList([Block() for _ in range(L)])
        self.norm = RMSNorm(D)
        self.lm_head = nn.Linear(D, vocab_size, bias=False)
        self.register_buffer("script", torch.tensor(script + [eos_id], dtype=torch.long))
        self.prompt_len = prompt_len
        self.vocab_size = vocab_size

    def forward(self, embeds, past):
        s = past.size(4)
        t = embeds.size(1)
        x = embeds
        presents = []
        i = 0
        for layer in self.layers:
            x, k, v = layer(x, past[i, 0], past[i, 1])
            presents.append(torch.stack([k, v]))
            i += 1
        h = self.norm(x)[:, -1]                          # [1,D]
        logits = self.lm_head(h)                         # [1,V]
        step = s + t - self.prompt_len
        if step >= 0:
            n = self.script.size(0)
            tok = self.script[min(step, n - 1)]
            logits = logits + 100.0 * F.one_hot(tok, self.vocab_size).to(logits.dtype).unsqueeze(0)
        return logits, h, torch.stack(presents)


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
        m = torch.einsum("nc,chw->nhw", p, embedding[0]).unsqueeze(1)        # [N,1,64,64]
        m = m - m.mean(dim=(2, 3), keepdim=True)
        return F.interpolate(m, size=(256, 256), mode="bilinear", align_corners=False)


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


def write_tiny(out_dir: str, fixtures_dir: str = None, dtype: str = "float32"):
    torch.manual_seed(1234)
    tdt = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[dtype]
    os.makedirs(out_dir, exist_ok=True)
    prompt = gcg_prompt()
    tok = TinyTokenizer([prompt.replace("<image>", " "), ANSWER])
    vocab_size = len(tok.vocab)
    with open(os.path.join(out_dir, "tokenizer.json"), "w") as f:
        json.dump(tok.to_json(), f, indent=1)

    prompt_ids = tokenizer_image_token(prompt, tok)
    prompt_len = len(prompt_ids) - 1 + N_IMG
    script = tok.encode(ANSWER, add_bos=False)
    eos = tok.vocab["</s>"]

    modules = {
        "global_encoder": (GlobalEncoder(), (torch.zeros(1, 3, 336, 336),)),
        "embed_tokens": (EmbedTokens(vocab_size), (torch.zeros(1, 3, dtype=torch.long),)),
        "language_model": (LanguageModel(vocab_size, script, prompt_len, eos),
                           (torch.zeros(1, 4, D), torch.zeros(L, 2, 1, H, 0, DH))),
        "grounding_encoder": (GroundingEncoder(), (torch.zeros(1, 3, 1024, 1024),)),
        "pixel_decoder": (PixelDecoder(), (torch.zeros(2, D), torch.zeros(1, C, 64, 64))),
    }
    for name, (m, example) in modules.items():
        m.eval()
        # same random weights stored in the export dtype, float32 at the interface (io_wrappers)
        m = WRAPPERS[name](m.to(tdt), tdt).eval()
        with torch.no_grad():
            scripted = torch.jit.script(m)
            a, b = m(*example), scripted(*example)
            for x, y in zip(a if isinstance(a, tuple) else (a,), b if isinstance(b, tuple) else (b,)):
                assert torch.allclose(x.float(), y.float()), name
        scripted.save(os.path.join(out_dir, name + ".pt"))

    cfg = glamm_json(hidden_size=D, num_image_tokens=N_IMG, num_layers=L, num_heads=H, head_dim=DH,
                     vocab_size=vocab_size, prompt_dim=C, dtype=dtype, tiny=True)
    with open(os.path.join(out_dir, "glamm.json"), "w") as f:
        json.dump(cfg, f, indent=1)

    if fixtures_dir:
        if tdt != torch.float32:
            raise SystemExit("reference fixtures are written for float32 only")
        write_references(fixtures_dir, modules, tok, prompt_ids, script, prompt_len)


def write_references(ref_dir, modules, tok, prompt_ids, script, prompt_len):
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
    # 3. the tiny model end to end on the landscape image, run in Python with the same parts
    img = np.array(Image.open(os.path.join(ref_dir, "landscape.png")).convert("RGB"))
    _, clip_x = clip_reference(img)
    sam_u8, sam_x = sam_reference(img)
    with torch.no_grad():
        ge, et, lm, gr, pd = (modules[k][0] for k in
                              ["global_encoder", "embed_tokens", "language_model", "grounding_encoder",
                               "pixel_decoder"])
        img_tok = ge(torch.from_numpy(clip_x)[None])
        k = prompt_ids.index(-200)
        emb = torch.cat([et(torch.tensor([prompt_ids[:k]])), img_tok, et(torch.tensor([prompt_ids[k + 1:]]))], 1)
        past = torch.zeros(L, 2, 1, H, 0, DH)
        out, seg_h = [], []
        x = emb
        for _ in range(512):
            logits, hid, past = lm(x, past)
            nxt = int(logits.argmax(-1))
            if nxt == tok.vocab["</s>"]:
                out.append(nxt)
                break
            out.append(nxt)
            if nxt == tok.vocab["[SEG]"]:
                seg_h.append(hid)
            x = et(torch.tensor([[nxt]]))
        g = gr(torch.from_numpy(sam_x)[None])
        low_res = pd(torch.cat(seg_h, 0), g)
        masks = postprocess_reference(low_res, sam_u8.shape[:2], img.shape[:2]).numpy()
    inv = {v: k for k, v in tok.vocab.items()}
    ref["end_to_end"] = {"image": "landscape.png", "output_ids": out,
                         "output_text": " ".join(inv[i] for i in out),
                         "mask_counts": [rle_counts(masks[i] > 0) for i in range(masks.shape[0])],
                         "mask_areas": [int((masks[i] > 0).sum()) for i in range(masks.shape[0])]}
    with open(os.path.join(ref_dir, "reference.json"), "w") as f:
        json.dump(ref, f)
