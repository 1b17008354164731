"""The exported parts both exports share: the LLaMA-only decoding step and the tracing (real checkpoint and --tiny
trace the same way, so the tiny fixtures carry the same class of tracing artefacts as the real export).

Language model signature (batched, preallocated KV cache written in place):

    embeds f32[B,T,D], cache [L,2,B,H,S_max,Dh] (export dtype; any float dtype is cast, i.e. copied), positions i64[T]
      -> logits f32[B,V] (last position), hidden f32[B,D] (last position, after the final norm), cache (the same
         tensor, positions written)

All rows share the positions: every job has the same prompt and the same number of image tokens, so a batch stays
aligned without padding. Attention runs over the whole S_max with a causal mask from `positions`; unwritten slots
are masked out (their zeros never reach the softmax).
"""
import math
import os
import re

import torch
import torch.nn as nn

DEVICE_CONSTANT = re.compile(r'Device = prim::Constant\[value="([a-z]+(?::\d+)?)"\]')


class LlamaStep(nn.Module):
    """One LLaMA step over HF-style decoder layers (`input_layernorm`, `self_attn.{q,k,v,o}_proj`,
    `post_attention_layernorm`, `mlp`), the final norm and `lm_head` -- nothing else of the checkpoint (no CLIP, no
    SAM, no embedding table), so the traced file holds only the LLaMA weights. Mirrors transformers 4.28's
    LlamaAttention: rotary cos/sin tables indexed by position, scores in the compute dtype plus a finfo.min mask,
    softmax in float32, cast back."""

    def __init__(self, layers, norm, lm_head, cos_table, sin_table, num_heads: int, head_dim: int,
                 dtype: torch.dtype):
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.norm = norm
        self.lm_head = lm_head
        self.register_buffer("cos_table", cos_table.clone(), persistent=True)   # [P, Dh], float32
        self.register_buffer("sin_table", sin_table.clone(), persistent=True)
        self.num_heads = num_heads
        self.head_dim = head_dim
        self.dtype = dtype
        self.min_value = float(torch.finfo(dtype).min)

    @staticmethod
    def _rotate_half(x):
        half = x.size(-1) // 2
        return torch.cat((-x[..., half:], x[..., :half]), dim=-1)

    def forward(self, embeds, cache, positions):
        cache = cache.to(self.dtype)     # no-op (same tensor) for a cache in the export dtype; Java's first is f32
        x = embeds.to(self.dtype)
        b, t = x.size(0), x.size(1)
        cos = self.cos_table.index_select(0, positions).to(self.dtype)[None, None]     # [1,1,T,Dh]
        sin = self.sin_table.index_select(0, positions).to(self.dtype)[None, None]
        # key positions 0..S_max-1 made from the cache itself (no device argument to bake in)
        kpos = torch.cumsum(torch.ones_like(cache[0, 0, 0, 0, :, 0], dtype=torch.long), 0) - 1
        future = kpos[None, :] > positions[:, None]                                    # [T,S_max]
        bias = torch.zeros_like(future, dtype=self.dtype).masked_fill(future, self.min_value)
        for i, layer in enumerate(self.layers):
            attn = layer.self_attn
            h = layer.input_layernorm(x)
            q = attn.q_proj(h).view(b, t, self.num_heads, self.head_dim).transpose(1, 2)
            k = attn.k_proj(h).view(b, t, self.num_heads, self.head_dim).transpose(1, 2)
            v = attn.v_proj(h).view(b, t, self.num_heads, self.head_dim).transpose(1, 2)
            q = q * cos + self._rotate_half(q) * sin
            k = k * cos + self._rotate_half(k) * sin
            keys = cache[i, 0]
            values = cache[i, 1]
            keys.index_copy_(2, positions, k.to(cache.dtype))
            values.index_copy_(2, positions, v.to(cache.dtype))
            w = torch.matmul(q, keys.transpose(2, 3)) / math.sqrt(self.head_dim) + bias
            w = torch.softmax(w, dim=-1, dtype=torch.float32).to(self.dtype)
            o = torch.matmul(w, values).transpose(1, 2).reshape(b, t, self.num_heads * self.head_dim)
            x = x + attn.o_proj(o)
            x = x + layer.mlp(layer.post_attention_layernorm(x))
        h = self.norm(x)[:, -1]
        return self.lm_head(h).float(), h.float(), cache


def rope_tables(head_dim: int, max_positions: int, base: float = 10000.0, inv_freq=None):
    """transformers 4.28 LlamaRotaryEmbedding's cos_cached/sin_cached (float32, [P, Dh])."""
    if inv_freq is None:
        inv_freq = 1.0 / (base ** (torch.arange(0, head_dim, 2).float() / head_dim))
    t = torch.arange(max_positions, dtype=inv_freq.dtype, device=inv_freq.device)
    freqs = torch.einsum("i,j->ij", t, inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos().float(), emb.sin().float()


def _outputs(x):
    return x if isinstance(x, (tuple, list)) else (x,)


def _clone(inputs):
    return tuple(i.clone() for i in inputs)


def close_enough(eager, traced, name, tol):
    for x, y in zip(_outputs(eager), _outputs(traced)):
        if x.shape != y.shape:
            raise SystemExit(f"{name}: traced shape {tuple(y.shape)} != eager {tuple(x.shape)}")
        err = (x.float() - y.float()).abs().max().item() if x.numel() else 0.0
        if err > tol:
            raise SystemExit(f"{name}: traced differs from eager by {err} (> {tol})")


def device_constants(traced) -> list:
    """The devices a traced graph hard-codes (torch.ones(..., device=x.device) and the like become constants)."""
    return sorted(set(DEVICE_CONSTANT.findall(str(traced.inlined_graph))))


def trace_checked(module, example, checks, name, tol):
    """Traces `module` on `example` and re-runs it at the other sizes in `checks` against the eager module (tracing
    bakes Python control flow and sizes taken as ints); returns (the traced module, the device constants in its
    graph). Inputs are cloned per call: the language model writes its cache in place."""
    module.eval()
    with torch.no_grad():
        traced = torch.jit.trace(module, _clone(example), check_trace=False, strict=False)
        for inputs in checks:
            close_enough(module(*_clone(inputs)), traced(*_clone(inputs)), name, tol)
    return traced, device_constants(traced)


def trace_part(module, example, checks, name, out_dir, tol, reload=True):
    """trace_checked, then saves `<name>.pt`; returns (the part loaded back from the file, or None, its device
    constants)."""
    traced, devices = trace_checked(module, example, checks, name, tol)
    path = os.path.join(out_dir, name + ".pt")
    traced.save(path)
    print(f"saved {name} (device constants: {devices or 'none'})")
    return (torch.jit.load(path, map_location=example[0].device) if reload else None), devices


class PromptDecoder(nn.Module):
    """SAM's prompt encoder + mask decoder for interactive prompts (click-to-segment), one traced part for every
    kind of prompt. All sparse prompts are points, as segment_anything's PromptEncoder embeds them: label 1 a
    positive click, 0 a negative click, 2 / 3 the top-left / bottom-right box corner (`_embed_boxes` adds
    point_embeddings[2] / [3] to the corners' positional encoding), -1 padding (not_a_point_embed; SAM pads a
    points-only prompt with one such point). The caller orders them as SAM does: clicks, box corners, else one pad.
    The dense prompt is the previous low-res mask through mask_downscaling when has_mask is 1, no_mask_embed when 0
    (a blend, so one graph serves both). Masked arithmetic instead of boolean indexing: tracing keeps it
    shape-generic and device-free.

        embedding f[B,C,64,64], points f[B,P,2] (x, y in the 1024 input frame), labels f[B,P],
        mask_input f[B,1,256,256] (low-res logits), has_mask f[B] -> low_res_masks f[B,3,256,256], iou f[B,3]

    `prompt_encoder` needs SAM's attributes (pe_layer.forward_with_coords, point_embeddings, not_a_point_embed,
    mask_downscaling, no_mask_embed, get_dense_pe); `mask_decoder` SAM's keyword signature (multimask_output=True).
    """

    def __init__(self, prompt_encoder: nn.Module, mask_decoder: nn.Module, input_size: int = 1024):
        super().__init__()
        self.prompt_encoder = prompt_encoder
        self.mask_decoder = mask_decoder
        self.input_size = input_size

    def forward(self, embedding, points, labels, mask_input, has_mask):
        pe = self.prompt_encoder
        dt = embedding.dtype
        sparse = pe.pe_layer.forward_with_coords(points + 0.5, (self.input_size, self.input_size)).to(dt)
        lab = labels.unsqueeze(-1)
        pad = (lab == -1).to(dt)
        sparse = sparse * (1 - pad) + pad * pe.not_a_point_embed.weight.to(dt)
        for k, emb in enumerate(pe.point_embeddings):
            sparse = sparse + (lab == k).to(dt) * emb.weight.to(dt)
        h = has_mask.view(-1, 1, 1, 1).to(dt)
        dense = h * pe.mask_downscaling(mask_input) + (1 - h) * pe.no_mask_embed.weight.reshape(1, -1, 1, 1).to(dt)
        low_res, iou = self.mask_decoder(image_embeddings=embedding, image_pe=pe.get_dense_pe(),
                                         sparse_prompt_embeddings=sparse, dense_prompt_embeddings=dense,
                                         multimask_output=True)
        return low_res, iou


def prompt_decoder_examples(dev, emb):
    """(example, checks) for tracing a prompt decoder on image embeddings `emb` [2,C',64,64]: clicks only (with
    SAM's pad point), a box only, clicks + box + mask input; 1 and 2 rows."""
    f32 = dict(dtype=torch.float32, device=dev)
    t = lambda x: torch.tensor(x, **f32)
    low = torch.randn(2, 1, 256, 256, **f32)
    example = (emb[:1], t([[[300.0, 200.0], [0.0, 0.0]]]), t([[1.0, -1.0]]), low[:1] * 0, t([0.0]))
    checks = [(emb[:1], t([[[100.0, 700.0], [900.0, 50.0]]]), t([[2.0, 3.0]]), low[:1] * 0, t([0.0])),
              (emb, t([[[500.0, 500.0], [80.0, 90.0], [10.0, 20.0], [990.0, 700.0]]] * 2),
               t([[1.0, 0.0, 2.0, 3.0]] * 2), low, t([1.0, 1.0]))]
    return example, checks
