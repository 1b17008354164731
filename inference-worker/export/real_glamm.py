"""Export an official GLaMM checkpoint into the worker's model directory.

Runs the official code of github.com/mbzuai-oryx/groundingLMM (its `model/` package and its pinned transformers),
loads the checkpoint exactly as `eval/gcg/infer.py` does, and traces five parts with TorchScript. Every traced part is
checked against the eager module at other input sizes than the one it was traced with (tracing bakes Python control
flow), and `--verify-image` runs the official `model.evaluate` on an image and the exported parts in a Python copy of
the Java loop, and compares the generated token ids.
"""
import json
import os
import shutil
import sys
import tempfile

import torch
import torch.nn as nn

from glamm_common import gcg_prompt, glamm_json
from io_wrappers import WRAPPERS

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


class LanguageModelStep(nn.Module):
    """LLaMA with a stacked KV cache [L,2,1,H,S,Dh]; returns last-position logits (float32), the last-position final
    hidden state (after the model's final norm: what `text_hidden_fcs` receives) and the grown cache."""

    def __init__(self, model):
        super().__init__()
        self.llama = model.get_model()
        self.lm_head = model.lm_head
        self.num_layers = model.config.num_hidden_layers

    def forward(self, embeds, past):
        past_kv = tuple((past[i, 0], past[i, 1]) for i in range(self.num_layers))
        mask = torch.ones((1, past.size(4) + embeds.size(1)), dtype=torch.long, device=embeds.device)
        out = self.llama(input_ids=None, inputs_embeds=embeds, attention_mask=mask, past_key_values=past_kv,
                         use_cache=True, output_hidden_states=False, return_dict=True)
        h = out.last_hidden_state[:, -1]
        logits = self.lm_head(h).float()
        presents = torch.stack([torch.stack([k, v]) for k, v in out.past_key_values])
        return logits, h, presents


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
        emb = self.text_hidden_fcs(seg_hidden)
        sparse, dense = self.prompt_encoder(points=None, boxes=None, masks=None, text_embeds=emb.unsqueeze(1))
        sparse = sparse.to(emb.dtype)
        low_res, _ = self.mask_decoder(image_embeddings=image_embedding,
                                       image_pe=self.prompt_encoder.get_dense_pe(),
                                       sparse_prompt_embeddings=sparse, dense_prompt_embeddings=dense,
                                       multimask_output=False)
        return low_res


def _close(a, b, name, tol):
    a = a if isinstance(a, (tuple, list)) else (a,)
    b = b if isinstance(b, (tuple, list)) else (b,)
    for x, y in zip(a, b):
        if x.shape != y.shape:
            raise SystemExit(f"{name}: traced shape {tuple(y.shape)} != eager {tuple(x.shape)}")
        err = (x.float() - y.float()).abs().max().item()
        if err > tol:
            raise SystemExit(f"{name}: traced differs from eager by {err} (> {tol})")


def _trace(module, example, checks, name, out_dir, tol):
    module = WRAPPERS[name](module, next(module.parameters()).dtype).eval()   # float32 at the interface
    with torch.no_grad():
        traced = torch.jit.trace(module, example, check_trace=False, strict=False)
        for inputs in checks:                               # other sizes than the traced one
            _close(module(*inputs), traced(*inputs), name, tol)
    traced.save(os.path.join(out_dir, name + ".pt"))
    print("saved", name)
    return traced


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


def export_real(glamm_repo, checkpoint, out_dir, dtype, device, verify_image=None):
    torch_dtype = DTYPES[dtype]
    os.makedirs(out_dir, exist_ok=True)
    tokenizer, model = load_official(glamm_repo, checkpoint, torch_dtype, device)
    write_fast_tokenizer(checkpoint, tokenizer, out_dir)
    cfg = model.config
    L, H = cfg.num_hidden_layers, cfg.num_attention_heads
    D = cfg.hidden_size
    DH = D // H
    tol = 1e-3 if torch_dtype == torch.float32 else 5e-2
    f = dict(dtype=torch.float32, device=device)      # the parts take float32 (io_wrappers); cast inside

    with torch.no_grad():
        _trace(GlobalEncoder(model), (torch.randn(1, 3, 336, 336, **f),), [(torch.randn(1, 3, 336, 336, **f),)],
               "global_encoder", out_dir, tol)
        _trace(EmbedTokens(model), (torch.tensor([[1, 2, 3]], device=device),),
               [(torch.tensor([[5]], device=device),), (torch.arange(1, 40, device=device)[None],)],
               "embed_tokens", out_dir, tol)
        past = lambda s: (torch.randn(L, 2, 1, H, s, DH, **f) * 0.1).to(torch_dtype)
        _trace(LanguageModelStep(model), (torch.randn(1, 7, D, **f) * 0.01, past(5)),
               [(torch.randn(1, 11, D, **f) * 0.01, past(0)), (torch.randn(1, 1, D, **f) * 0.01, past(9)),
                (torch.randn(1, 1, D, **f) * 0.01, past(700))], "language_model", out_dir, tol)
        ge = torch.randn(1, 3, 1024, 1024, **f)
        _trace(GroundingEncoder(model), (ge,), [], "grounding_encoder", out_dir, tol)
        emb = model.get_model().grounding_encoder.image_encoder(ge.to(torch_dtype)).float()
        _trace(PixelDecoder(model), (torch.randn(2, D, **f), emb),
               [(torch.randn(1, D, **f), emb), (torch.randn(5, D, **f), emb)], "pixel_decoder", out_dir, tol)

    meta = glamm_json(hidden_size=D, num_image_tokens=576, num_layers=L, num_heads=H, head_dim=DH,
                      vocab_size=cfg.vocab_size, prompt_dim=256, dtype=dtype, tiny=False)
    meta["source_checkpoint"] = os.path.basename(os.path.normpath(checkpoint))
    with open(os.path.join(out_dir, "glamm.json"), "w") as fh:
        json.dump(meta, fh, indent=1)
    if verify_image:
        verify(model, tokenizer, out_dir, verify_image, device, torch_dtype)


def verify(model, tokenizer, out_dir, image_path, device, torch_dtype):
    """Official evaluate() vs the exported parts in the worker's loop; the generated ids must be equal."""
    import cv2
    from transformers import CLIPImageProcessor
    from model.llava.mm_utils import tokenizer_image_token
    from model.SAM.utils.transforms import ResizeLongestSide
    from eval.utils import grounding_image_ecoder_preprocess

    image_np = cv2.cvtColor(cv2.imread(image_path), cv2.COLOR_BGR2RGB)
    clip = CLIPImageProcessor.from_pretrained(model.config.vision_tower)
    image_clip = clip.preprocess(image_np, return_tensors="pt")["pixel_values"].to(device, torch_dtype)
    img = ResizeLongestSide(1024).apply_image(image_np)
    resize_list = [img.shape[:2]]
    image = grounding_image_ecoder_preprocess(torch.from_numpy(img).permute(2, 0, 1).contiguous())[None]
    image = image.to(device, torch_dtype)
    ids = tokenizer_image_token(gcg_prompt(), tokenizer, return_tensors="pt")[None].to(device)
    with torch.no_grad():
        out_ids, masks = model.evaluate(image_clip, image, ids, resize_list, [image_np.shape[:2]],
                                        max_tokens_new=512, bboxes=None)
        official = out_ids[0, ids.shape[1]:].tolist()
        parts = {n: torch.jit.load(os.path.join(out_dir, n + ".pt"), map_location=device)
                 for n in ["global_encoder", "embed_tokens", "language_model"]}
        cfg = model.config
        k = ids[0].tolist().index(-200)
        x = torch.cat([parts["embed_tokens"](ids[:, :k]), parts["global_encoder"](image_clip.float()),
                       parts["embed_tokens"](ids[:, k + 1:])], 1)
        past = torch.zeros(cfg.num_hidden_layers, 2, 1, cfg.num_attention_heads, 0,
                           cfg.hidden_size // cfg.num_attention_heads, dtype=torch.float32, device=device)
        mine = []
        for _ in range(512):
            logits, _, past = parts["language_model"](x, past)
            nxt = int(logits.argmax(-1))
            mine.append(nxt)
            if nxt == tokenizer.eos_token_id:
                break
            x = parts["embed_tokens"](torch.tensor([[nxt]], device=device))
    print("official:", tokenizer.decode(official, skip_special_tokens=False))
    print("exported:", tokenizer.decode(mine, skip_special_tokens=False))
    if official != mine:
        same = next((i for i, (a, b) in enumerate(zip(official, mine)) if a != b), min(len(official), len(mine)))
        print(f"WARNING: generated ids differ from token {same} on (bf16/fp16 ties can flip a greedy choice; "
              f"float32 export should agree)")
    else:
        print("verify: identical generated ids,", len(mine), "tokens,", len(masks[0]), "masks")
