"""Export an official GLaMM checkpoint into the worker's model directory.

Runs the official code of github.com/mbzuai-oryx/groundingLMM (its `model/` package and its pinned transformers),
loads the checkpoint exactly as `eval/gcg/infer.py` does, and traces five parts with TorchScript on the target device
(traced graphs hard-code it: glamm.json records it and the worker refuses another). The language model is a
LLaMA-only module (glamm_parts.LlamaStep over the checkpoint's decoder layers, norm and lm_head: no CLIP, SAM or
region encoder inside) with a batched, preallocated KV cache; it is checked against transformers' own LLaMA forward.
Every traced part is checked against the eager module at other sizes than the traced ones (batch too), and
`--verify-image` runs the official `model.evaluate` on the images and the exported parts in a Python copy of the Java
loop (batched), and compares the generated ids, the [SEG] hidden states and the masks (IoU).
"""
import json
import os
import shutil
import sys
import tempfile

import torch
import torch.nn as nn

from glamm_common import gcg_prompt, glamm_json, check_generation_settings
from glamm_parts import LlamaStep, PromptDecoder, prompt_decoder_examples, rope_tables, trace_part
from io_wrappers import WRAPPERS
import worker_loop

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


class GlobalEncoder(nn.Module):
    """CLIP ViT-L/14-336, hidden_states[mm_vision_select_layer] (-2), patch tokens only, then mm_projector."""

    def __init__(self, model):
        super().__init__()
        tower = model.get_model().get_vision_tower()
        self.clip = tower.vision_tower                      # transformers CLIPVisionModel
        self.select_layer = int(tower.select_layer)
        self.mm_projector = model.get_model().mm_projector

    def forward(self, image_clip):
        out = self.clip(image_clip, output_hidden_states=True)
        return self.mm_projector(out.hidden_states[self.select_layer][:, 1:])


class EmbedTokens(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.embed_tokens = model.get_model().embed_tokens

    def forward(self, ids):
        return self.embed_tokens(ids)


def language_model_step(model, torch_dtype):
    """glamm_parts.LlamaStep over the checkpoint's LLaMA (decoder layers, final norm, lm_head): the traced file holds
    only these weights (tracing the whole GLaMMModel dragged CLIP, SAM ViT-H and the region encoder along)."""
    llama = model.get_model()
    cfg = model.config
    heads = cfg.num_attention_heads
    dh = cfg.hidden_size // heads
    if getattr(cfg, "num_key_value_heads", heads) != heads:
        raise SystemExit("grouped-query attention is not supported by the exported step (GLaMM's Vicuna has none)")
    rotary = llama.layers[0].self_attn.rotary_emb
    if hasattr(rotary, "cos_cached"):          # transformers 4.28: the tables LlamaAttention indexes by position
        cos, sin = rotary.cos_cached[0, 0], rotary.sin_cached[0, 0]
    else:
        cos, sin = rope_tables(dh, cfg.max_position_embeddings, inv_freq=rotary.inv_freq.float())
    return LlamaStep(list(llama.layers), llama.norm, model.lm_head, cos, sin, heads, dh, torch_dtype)


def check_step_against_transformers(model, step, device, tol):
    """The exported step against transformers' LlamaModel (tuple KV cache, causal mask of its own): a 9-token prefill
    and one more token with the cache must give the same last-position logits."""
    llama = model.get_model()
    d = model.config.hidden_size
    with torch.no_grad():
        x = torch.randn(1, 10, d, device=device) * 0.02
        dtype = next(step.parameters()).dtype
        ref = llama(input_ids=None, inputs_embeds=x[:, :9].to(dtype), use_cache=True, return_dict=True)
        ref_logits = model.lm_head(ref.last_hidden_state[:, -1]).float()
        ref2 = llama(input_ids=None, inputs_embeds=x[:, 9:].to(dtype), past_key_values=ref.past_key_values,
                     attention_mask=torch.ones(1, 10, dtype=torch.long, device=device), use_cache=True,
                     return_dict=True)
        ref2_logits = model.lm_head(ref2.last_hidden_state[:, -1]).float()
        cache = worker_loop.new_cache({"dtype": {torch.float32: "float32", torch.bfloat16: "bfloat16",
                                                 torch.float16: "float16"}[dtype],
                                       "num_layers": model.config.num_hidden_layers,
                                       "num_heads": model.config.num_attention_heads,
                                       "head_dim": d // model.config.num_attention_heads}, 1, 16, device)
        logits, _, cache = step(x[:, :9], cache, torch.arange(0, 9, device=device))
        logits2, _, _ = step(x[:, 9:], cache, torch.arange(9, 10, device=device))
    for name, a, b in [("prefill", ref_logits, logits), ("cached step", ref2_logits, logits2)]:
        err = (a - b).abs().max().item()
        print(f"LlamaStep vs transformers, {name}: max |logit diff| {err:.3g}")
        if err > tol * 20:
            raise SystemExit(f"the exported LLaMA step differs from transformers' ({name}: {err} > {tol * 20})")


class GroundingEncoder(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.image_encoder = model.get_model().grounding_encoder.image_encoder

    def forward(self, image):
        return self.image_encoder(image)


class PixelDecoder(nn.Module):
    """GLaMM's `_generate_and_postprocess_masks` up to the low-res masks: text_hidden_fcs, the modified SAM prompt
    encoder (text_embeds) and the mask decoder with multimask_output=False."""

    def __init__(self, model):
        super().__init__()
        gm = model.get_model()
        self.text_hidden_fcs = gm.text_hidden_fcs[0]
        self.prompt_encoder = gm.grounding_encoder.prompt_encoder
        self.mask_decoder = gm.grounding_encoder.mask_decoder

    def forward(self, seg_hidden, image_embedding):
        # image_embedding [N,256,64,64]: the embedding of each [SEG]'s image (a batch mixes images)
        emb = self.text_hidden_fcs(seg_hidden)
        sparse, dense = self.prompt_encoder(points=None, boxes=None, masks=None, text_embeds=emb.unsqueeze(1))
        sparse = sparse.to(emb.dtype)
        low_res, _ = self.mask_decoder(image_embeddings=image_embedding,
                                       image_pe=self.prompt_encoder.get_dense_pe(),
                                       sparse_prompt_embeddings=sparse, dense_prompt_embeddings=dense,
                                       multimask_output=False)
        return low_res


def _wrapped(module, name):
    return WRAPPERS[name](module, next(module.parameters()).dtype).eval()   # float32 at the interface


def load_official(glamm_repo, checkpoint, torch_dtype, device):
    sys.path.insert(0, os.path.abspath(glamm_repo))
    from transformers import AutoTokenizer
    from model.GLaMM import GLaMMForCausalLM

    tokenizer = AutoTokenizer.from_pretrained(checkpoint, model_max_length=512, padding_side="right", use_fast=False)
    tokenizer.pad_token = tokenizer.unk_token
    seg_token_idx = tokenizer("[SEG]", add_special_tokens=False).input_ids[0]
    model = GLaMMForCausalLM.from_pretrained(checkpoint, low_cpu_mem_usage=True, seg_token_idx=seg_token_idx,
                                             torch_dtype=torch_dtype)
    model.config.eos_token_id = tokenizer.eos_token_id
    model.config.bos_token_id = tokenizer.bos_token_id
    model.config.pad_token_id = tokenizer.pad_token_id
    model.get_model().initialize_vision_modules(model.get_model().config)   # loads CLIP (hub id in the config)
    model.get_model().get_vision_tower().to(dtype=torch_dtype)
    model = model.to(dtype=torch_dtype, device=device).eval()
    return tokenizer, model


def write_fast_tokenizer(checkpoint, slow, out_dir):
    """tokenizer.json (fast format) with the added tokens; checks it tokenises the GCG prompt chunks like the slow
    tokenizer infer.py uses, and decodes a tagged answer the same way."""
    from transformers import AutoTokenizer
    fast = AutoTokenizer.from_pretrained(checkpoint, use_fast=True)
    with tempfile.TemporaryDirectory() as tmp:
        fast.save_pretrained(tmp)
        shutil.copy(os.path.join(tmp, "tokenizer.json"), os.path.join(out_dir, "tokenizer.json"))
    for chunk in gcg_prompt().split("<image>"):
        a, b = slow(chunk).input_ids, fast(chunk).input_ids
        if a != b:
            raise SystemExit(f"fast tokenizer differs from the slow one on {chunk!r}:\n{a}\n{b}")
    for t in ["<im_start>", "<im_end>", "<bbox>", "<point>", "[SEG]", "<p>", "</p>"]:
        ids = fast(t, add_special_tokens=False).input_ids
        if ids != slow(t, add_special_tokens=False).input_ids or len(ids) != 1:
            raise SystemExit(f"token {t} differs or is not a single token: {ids}")
    sample = "The image shows a <p> hot air balloon </p> [SEG] flying over a <p> river </p> [SEG].</s>"
    ids = slow(sample, add_special_tokens=False).input_ids
    ds, df = slow.decode(ids, skip_special_tokens=False), fast.decode(ids, skip_special_tokens=False)
    if ds != df:
        print(f"WARNING: decode differs (slow {ds!r} / fast {df!r}); the worker's caption may differ in spaces")


def export_device(device):
    dev = torch.device(device)
    if dev.type == "cuda" and dev.index is None:
        dev = torch.device("cuda", torch.cuda.current_device())
    return dev


def generation_settings(model):
    gen = getattr(model, "generation_config", None)
    return gen.to_dict() if gen is not None else model.config.to_dict()


def export_real(glamm_repo, checkpoint, out_dir, dtype, device, verify_images=()):
    torch_dtype = DTYPES[dtype]
    dev = export_device(device)
    os.makedirs(out_dir, exist_ok=True)
    tokenizer, model = load_official(glamm_repo, checkpoint, torch_dtype, dev)
    check_generation_settings(generation_settings(model), os.path.join(checkpoint, "generation_config.json"))
    write_fast_tokenizer(checkpoint, tokenizer, out_dir)
    from model.llava.mm_utils import tokenizer_image_token
    prompt_ids = tokenizer_image_token(gcg_prompt(), tokenizer, return_tensors="pt").tolist()
    cfg = model.config
    L, H = cfg.num_hidden_layers, cfg.num_attention_heads
    D = cfg.hidden_size
    DH = D // H
    tol = 1e-3 if torch_dtype == torch.float32 else 5e-2
    f = dict(dtype=torch.float32, device=dev)      # the parts take float32 (io_wrappers); cast inside
    cache = lambda b, s, scale=0.0: (torch.randn(L, 2, b, H, s, DH, **f) * scale).to(torch_dtype)
    pos = lambda a, b: torch.arange(a, b, device=dev)
    devices = {}

    with torch.no_grad():
        step = language_model_step(model, torch_dtype).eval()
        check_step_against_transformers(model, step, dev, tol)
        parts = [
            ("global_encoder", _wrapped(GlobalEncoder(model), "global_encoder"),
             (torch.randn(1, 3, 336, 336, **f),), [(torch.randn(2, 3, 336, 336, **f),)]),
            ("embed_tokens", _wrapped(EmbedTokens(model), "embed_tokens"), (torch.tensor([[1, 2, 3]], device=dev),),
             [(torch.tensor([[5]], device=dev),), (torch.arange(1, 41, device=dev).view(4, 10),)]),
            ("language_model", step, (torch.randn(1, 7, D, **f) * 0.01, cache(1, 12), pos(0, 7)),
             [(torch.randn(2, 11, D, **f) * 0.01, cache(2, 20), pos(0, 11)),
              (torch.randn(3, 1, D, **f) * 0.01, cache(3, 720, 0.1), pos(700, 701))]),
            ("grounding_encoder", _wrapped(GroundingEncoder(model), "grounding_encoder"),
             (torch.randn(1, 3, 1024, 1024, **f),), [(torch.randn(2, 3, 1024, 1024, **f),)]),
        ]
        for name, module, example, checks in parts:
            _, devices[name] = trace_part(module, example, checks, name, out_dir, tol, reload=False)
            torch.cuda.empty_cache() if dev.type == "cuda" else None
        ge = model.get_model().grounding_encoder.image_encoder
        emb = torch.cat([ge(torch.randn(1, 3, 1024, 1024, **f).to(torch_dtype)) for _ in range(2)]).float()
        pd = _wrapped(PixelDecoder(model), "pixel_decoder")
        seg5 = torch.randn(5, D, **f)
        owner5 = torch.tensor([0, 1, 1, 0, 1], device=dev)
        _, devices["pixel_decoder"] = trace_part(pd, (torch.randn(2, D, **f), emb),
                                                 [(torch.randn(1, D, **f), emb[:1]), (seg5, emb[owner5])],
                                                 "pixel_decoder", out_dir, tol, reload=False)
        # per [SEG] independent: five [SEG]s over two images at once = each alone (GLaMM decodes per image)
        many = pd(seg5, emb[owner5])
        if many.shape[0] != 5:
            raise SystemExit(f"pixel decoder returned {many.shape[0]} masks for 5 [SEG]s: GLaMM's mask decoder "
                             "repeats the image embedding per prompt; pass one image at a time instead")
        for i in range(5):
            one = pd(seg5[i:i + 1], emb[owner5[i]:owner5[i] + 1])
            err = (one - many[i:i + 1]).abs().max().item()
            if err > tol:
                raise SystemExit(f"pixel decoder: [SEG] {i} alone differs from the batch by {err} (> {tol})")

        # the interactive part (click-to-segment): SAM's own prompt encoder + mask decoder over point/box/mask prompts
        sam = model.get_model().grounding_encoder
        pdec = _wrapped(PromptDecoder(sam.prompt_encoder, sam.mask_decoder), "prompt_decoder")
        example, checks = prompt_decoder_examples(dev, emb)
        _, devices["prompt_decoder"] = trace_part(pdec, example, checks, "prompt_decoder", out_dir, tol, reload=False)

    meta = glamm_json(hidden_size=D, num_image_tokens=576, num_layers=L, num_heads=H, head_dim=DH,
                      vocab_size=cfg.vocab_size, prompt_dim=256, dtype=dtype, tiny=False, device=str(dev),
                      prompt_ids=prompt_ids, device_constants=devices, torch_version=torch.__version__)
    meta["source_checkpoint"] = os.path.basename(os.path.normpath(checkpoint))
    with open(os.path.join(out_dir, "glamm.json"), "w") as fh:
        json.dump(meta, fh, indent=1)
    if dev.type == "cuda":
        print(f"export: peak GPU memory {torch.cuda.max_memory_allocated(dev) / 2**30:.1f} GiB")
    if verify_images:
        verify(model, tokenizer, out_dir, meta, verify_images, dev, torch_dtype)


def official_seg_hidden(model, image_clip, prompt_ids, generated, seg_id):
    """[SEG] hidden states the official way (infer.py runs use_cache=False): one eager forward of transformers' LLaMA
    over prompt + generated ids, final-norm hidden state of every position whose next token is [SEG]."""
    gm = model.get_model()
    k = prompt_ids.index(worker_loop.IMAGE_TOKEN_INDEX)
    dev = image_clip.device
    ids_after = prompt_ids[k + 1:] + generated[:-1]
    x = torch.cat([gm.embed_tokens(torch.tensor([prompt_ids[:k]], device=dev)),
                   GlobalEncoder(model)(image_clip),
                   gm.embed_tokens(torch.tensor([ids_after], device=dev))], 1)
    h = gm(input_ids=None, inputs_embeds=x, use_cache=False, return_dict=True).last_hidden_state[0]
    start = x.size(1) - len(generated)          # position that produced generated[0]
    rows = [start + i for i, t in enumerate(generated) if t == seg_id]
    return h[rows].float()


def verify(model, tokenizer, out_dir, meta, image_paths, device, torch_dtype):
    """Official evaluate() (as infer.py calls it) vs the exported parts in the worker's loop, all images as one
    batch: generated ids, [SEG] hidden states (vs transformers' own LLaMA over the same sequence) and masks (IoU)."""
    import cv2
    from transformers import CLIPImageProcessor
    from model.llava.mm_utils import tokenizer_image_token
    from model.SAM.utils.transforms import ResizeLongestSide
    from eval.utils import grounding_image_ecoder_preprocess

    clip = CLIPImageProcessor.from_pretrained(model.config.vision_tower)
    ids = tokenizer_image_token(gcg_prompt(), tokenizer, return_tensors="pt")[None].to(device)
    prompt_ids = ids[0].tolist()
    seg_id = tokenizer("[SEG]", add_special_tokens=False).input_ids[0]
    eos_id = tokenizer.eos_token_id
    inputs = []
    for path in image_paths:
        image_np = cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB)
        image_clip = clip.preprocess(image_np, return_tensors="pt")["pixel_values"].to(device)
        img = ResizeLongestSide(1024).apply_image(image_np)
        sam = grounding_image_ecoder_preprocess(torch.from_numpy(img).permute(2, 0, 1).contiguous())[None]
        inputs.append((path, image_np, image_clip, sam.to(device), img.shape[:2]))
    parts = worker_loop.load_parts(out_dir, device)
    report, worst = [], {"ids": 0, "iou": 1.0, "hidden": 0.0}
    with torch.no_grad():
        clip_batch = torch.cat([c for _, _, c, _, _ in inputs]).float()
        mine_ids, mine_hidden = worker_loop.generate(parts, meta, prompt_ids, clip_batch, 512, eos_id, seg_id)
        mine_masks = worker_loop.masks(parts, torch.cat([s for _, _, _, s, _ in inputs]).float(), mine_hidden,
                                       [r for *_, r in inputs], [i.shape[:2] for _, i, _, _, _ in inputs])
        for n, (path, image_np, image_clip, sam, resized) in enumerate(inputs):
            out_ids, pred_masks = model.evaluate(image_clip.to(torch_dtype), sam.to(torch_dtype), ids, [resized],
                                                 [image_np.shape[:2]], max_tokens_new=512, bboxes=None)
            official = out_ids[0, ids.shape[1]:].tolist()
            mine = mine_ids[n]
            line = f"{os.path.basename(path)}: {len(official)} official / {len(mine)} exported tokens"
            if official != mine:
                same = next((i for i, (a, b) in enumerate(zip(official, mine)) if a != b),
                            min(len(official), len(mine)))
                worst["ids"] += 1
                line += f", ids differ from token {same} on"
                print("official:", tokenizer.decode(official, skip_special_tokens=False))
                print("exported:", tokenizer.decode(mine, skip_special_tokens=False))
            else:
                line += ", identical ids"
                ref_h = official_seg_hidden(model, image_clip.to(torch_dtype), prompt_ids, official, seg_id)
                if ref_h.shape == mine_hidden[n].shape and ref_h.numel():
                    diff = (ref_h - mine_hidden[n]).abs().max().item()
                    cos = torch.nn.functional.cosine_similarity(ref_h, mine_hidden[n], dim=-1).min().item()
                    worst["hidden"] = max(worst["hidden"], diff)
                    line += f", [SEG] hidden max diff {diff:.3g} (min cosine {cos:.5f})"
                off = (pred_masks[0] > 0).cpu()
                if off.shape == mine_masks[n].shape:
                    ious = []
                    for a, b in zip(off, mine_masks[n]):
                        union = (a | b).sum().item()
                        ious.append(1.0 if union == 0 else (a & b).sum().item() / union)
                    if ious:
                        worst["iou"] = min(worst["iou"], min(ious))
                        line += ", mask IoU " + " ".join(f"{x:.4f}" for x in ious)
                else:
                    line += f", mask shapes differ {tuple(off.shape)} vs {tuple(mine_masks[n].shape)}"
                    worst["iou"] = 0.0
            report.append(line)
            print("verify:", line)
    if device.type == "cuda":
        print(f"verify: peak GPU memory {torch.cuda.max_memory_allocated(device) / 2**30:.1f} GiB "
              "(official model + exported copies + caches)")
    print(f"verify summary: {len(inputs)} image(s), {worst['ids']} with other ids, worst mask IoU "
          f"{worst['iou']:.4f}, worst [SEG] hidden diff {worst['hidden']:.3g}")
    if torch_dtype == torch.float32 and (worst["ids"] or worst["iou"] < 0.99):
        raise SystemExit("verify failed: a float32 export must reproduce the official ids and masks")
    if worst["ids"]:
        print("WARNING: generated ids differ (bf16/fp16 ties can flip a greedy choice late in an answer)")
