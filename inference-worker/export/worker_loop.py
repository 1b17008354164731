"""A Python copy of the Java worker's batched loop over the exported parts (studio.grounding.worker.model.GlammModel):
used for the tiny model's references, by `verify()` against the official code, and by gpu-check.

Batch rows share the prompt, hence the positions; a row leaves the batch at `</s>` or at its own token budget, and
the cache is compacted (index_select on the batch dimension) only then.
"""
import torch
import torch.nn.functional as F

IMAGE_TOKEN_INDEX = -200


def prompt_embeddings(embed_tokens, prompt_ids, image_tokens):
    """[B,T,D]: the text chunks embedded once and repeated over the batch, the image tokens [B,N,D] spliced in."""
    b = image_tokens.size(0)
    k = prompt_ids.index(IMAGE_TOKEN_INDEX)
    dev = image_tokens.device
    before = embed_tokens(torch.tensor([prompt_ids[:k]], device=dev)).expand(b, -1, -1)
    after = embed_tokens(torch.tensor([prompt_ids[k + 1:]], device=dev)).expand(b, -1, -1)
    return torch.cat([before, image_tokens, after], 1)


def new_cache(meta, batch, max_len, device):
    dtype = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[meta["dtype"]]
    return torch.zeros(meta["num_layers"], 2, batch, meta["num_heads"], max_len, meta["head_dim"], dtype=dtype,
                       device=device)


@torch.no_grad()
def generate(parts, meta, prompt_ids, image_clip, max_new_tokens, eos_id, seg_id, budgets=None, on_step=None):
    """Greedy decoding of B images at once. Returns per row: generated ids (incl. </s>) and the [SEG] hidden states
    [n_i, D] (float32)."""
    dev = image_clip.device
    b = image_clip.size(0)
    budgets = budgets or [max_new_tokens] * b
    x = prompt_embeddings(parts["embed_tokens"], prompt_ids, parts["global_encoder"](image_clip))
    t0 = x.size(1)
    cache = new_cache(meta, b, t0 + max(budgets), dev)
    rows = list(range(b))                       # batch row -> image index
    ids = [[] for _ in range(b)]
    segs = [[] for _ in range(b)]
    pos = 0
    while rows:
        t = x.size(1)
        positions = torch.arange(pos, pos + t, device=dev)
        logits, hidden, cache = parts["language_model"](x, cache, positions)
        pos += t
        nxt = logits.argmax(-1).tolist()
        keep = []
        for r, img in enumerate(rows):
            ids[img].append(nxt[r])
            if nxt[r] == seg_id:
                segs[img].append(hidden[r].float())
            if nxt[r] != eos_id and len(ids[img]) < budgets[img]:
                keep.append(r)
        if on_step:
            on_step(len(rows))
        if len(keep) < len(rows):
            if not keep:
                break
            idx = torch.tensor(keep, device=dev)
            cache = cache.index_select(2, idx)
            nxt = [nxt[r] for r in keep]
            rows = [rows[r] for r in keep]
        x = parts["embed_tokens"](torch.tensor(nxt, device=dev)[:, None])
    hid = [torch.stack(s) if s else torch.zeros(0, meta["hidden_size"], device=dev) for s in segs]
    return ids, hid


@torch.no_grad()
def masks(parts, sam_images, seg_hidden, resized_hw, original_hw):
    """Grounding encoder over the images with a [SEG], one pixel decoder call over all [SEG]s (embeddings gathered
    per [SEG]), SAM post-processing as GLaMM does it; returns per image a bool tensor [n_i, h, w]."""
    with_seg = [i for i, h in enumerate(seg_hidden) if h.size(0) > 0]
    out = [torch.zeros(0, *original_hw[i], dtype=torch.bool) for i in range(len(seg_hidden))]
    if not with_seg:
        return out
    emb = parts["grounding_encoder"](sam_images[with_seg])
    owner = torch.cat([torch.full((seg_hidden[i].size(0),), j, dtype=torch.long) for j, i in enumerate(with_seg)])
    seg = torch.cat([seg_hidden[i] for i in with_seg])
    low = parts["pixel_decoder"](seg, emb.index_select(0, owner.to(emb.device)))
    start = 0
    for i in with_seg:
        n = seg_hidden[i].size(0)
        m = F.interpolate(low[start:start + n].float(), (1024, 1024), mode="bilinear", align_corners=False)
        m = m[..., : resized_hw[i][0], : resized_hw[i][1]]
        m = F.interpolate(m, tuple(original_hw[i]), mode="bilinear", align_corners=False)
        out[i] = (m[:, 0] > 0).cpu()
        start += n
    return out


def load_parts(model_dir, device):
    import os
    return {n: torch.jit.load(os.path.join(model_dir, n + ".pt"), map_location=device).eval()
            for n in ["global_encoder", "embed_tokens", "language_model", "grounding_encoder", "pixel_decoder"]}
