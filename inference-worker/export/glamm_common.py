"""Shared constants of the GLaMM export: the official GCG prompt and the glamm.json layout.

The prompt is the one `eval/gcg/infer.py` of the GLaMM repository builds (llava_v1 template, use_mm_start_end).
Note the instruction: infer.py writes it as a string continued with a backslash at the end of a line, so the
four spaces of indentation on the next line are part of the string: "interleaved     segmentation" (5 spaces).
"""

SYSTEM = ("A chat between a curious human and an artificial intelligence assistant. "
          "The assistant gives helpful, detailed, and polite answers to the human's questions.")
INSTRUCTION = ("Could you please give me a detailed description of the image? Please respond with interleaved "
               "    segmentation masks for the corresponding parts of the answer.")
BEGIN = "The <image> provides an overview of the picture.\n"
IMAGE = "<image>"


def gcg_prompt() -> str:
    message = (BEGIN + INSTRUCTION).replace(IMAGE, "<im_start>" + IMAGE + "<im_end>")
    # llava_v1: SeparatorStyle.TWO, sep " ", roles USER/ASSISTANT, empty assistant message -> "ASSISTANT:"
    return SYSTEM + " " + "USER: " + message + " " + "ASSISTANT:"


CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
SAM_MEAN = [123.675, 116.28, 103.53]
SAM_STD = [58.395, 57.12, 57.375]


FORMAT = "grounding-studio/glamm-torchscript/2"

# What `model.generate` does beyond plain greedy decoding when a checkpoint's generation config sets these; the
# worker decodes greedily (argmax, no logits processors), so an export with any other value is refused.
# (infer.py's evaluate() passes num_beams=1 and max_new_tokens itself; everything else comes from the checkpoint.)
GREEDY_SETTINGS = {
    "do_sample": False, "repetition_penalty": 1.0,
    "encoder_repetition_penalty": 1.0, "no_repeat_ngram_size": 0, "encoder_no_repeat_ngram_size": 0,
    "bad_words_ids": None, "min_length": 0, "min_new_tokens": None, "forced_bos_token_id": None,
    "forced_eos_token_id": None, "suppress_tokens": None, "begin_suppress_tokens": None,
    "exponential_decay_length_penalty": None, "diversity_penalty": 0.0, "sequence_bias": None,
    "guidance_scale": None,
}


def check_generation_settings(settings: dict, source: str) -> None:
    """Fails (SystemExit naming the settings) when the checkpoint's generation settings are not plain greedy."""
    bad = []
    for key, default in GREEDY_SETTINGS.items():
        value = settings.get(key, default)
        if value == default or (default in (None, 0, False) and not value) or \
                (key == "guidance_scale" and value == 1.0):
            continue
        bad.append(f"{key}={value!r} (the worker assumes {default!r})")
    if bad:
        raise SystemExit(f"{source}: generation settings the worker does not apply (it decodes greedily): "
                         + ", ".join(bad))


def glamm_json(*, hidden_size, num_image_tokens, num_layers, num_heads, head_dim, vocab_size, prompt_dim,
               dtype, tiny, device, prompt_ids, device_constants, torch_version):
    return {
        "format": FORMAT,
        "tiny": tiny,
        "dtype": dtype,
        "device": device,
        "device_constants": device_constants,
        "torch_version": torch_version,
        "prompt_ids": prompt_ids,
        "io_dtype": "float32",
        "hidden_size": hidden_size,
        "num_image_tokens": num_image_tokens,
        "num_layers": num_layers,
        "num_heads": num_heads,
        "head_dim": head_dim,
        "vocab_size": vocab_size,
        "prompt_embed_dim": prompt_dim,
        "clip": {"size": 336, "mean": CLIP_MEAN, "std": CLIP_STD, "resample": "PIL.BICUBIC"},
        "sam": {"size": 1024, "mean": SAM_MEAN, "std": SAM_STD, "resample": "PIL.BILINEAR", "low_res": 256},
        "tokens": {"bos": "<s>", "eos": "</s>", "seg": "[SEG]", "phrase_start": "<p>", "phrase_end": "</p>",
                   "im_start": "<im_start>", "im_end": "<im_end>", "image_placeholder": IMAGE},
        "prompt": gcg_prompt(),
        "max_new_tokens": 512,
        "generation": "greedy",
        "files": {"global_encoder": "global_encoder.pt", "embed_tokens": "embed_tokens.pt",
                  "language_model": "language_model.pt", "grounding_encoder": "grounding_encoder.pt",
                  "pixel_decoder": "pixel_decoder.pt", "prompt_decoder": "prompt_decoder.pt",
                  "tokenizer": "tokenizer.json"},
        "signatures": {
            "global_encoder": "image_clip f[B,3,336,336] -> image_tokens f[B,N,D]",
            "embed_tokens": "ids i64[B,T] -> embeds f[B,T,D]",
            "language_model": "embeds f32[B,T,D], cache [L,2,B,H,S_max,Dh] (export dtype, written in place), "
                              "positions i64[T] -> logits f32[B,V] (last position), hidden f32[B,D] (last "
                              "position, after the final norm), cache",
            "grounding_encoder": "image f[B,3,1024,1024] -> embedding f[B,C,64,64]",
            "pixel_decoder": "seg_hidden f[N,D], embedding f[N,C,64,64] (the image embedding of each [SEG]) -> "
                             "low_res_masks f[N,1,256,256]",
            "prompt_decoder": "embedding f[B,C,64,64], points f[B,P,2] (x, y in the 1024 input frame), labels "
                              "f[B,P] (1 positive, 0 negative, 2/3 box corners, -1 padding), mask_input "
                              "f[B,1,256,256] (low-res logits), has_mask f[B] -> low_res_masks f[B,3,256,256], "
                              "iou f[B,3]",
        },
    }
