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
