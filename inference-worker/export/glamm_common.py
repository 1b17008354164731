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


def glamm_json(*, hidden_size, num_image_tokens, num_layers, num_heads, head_dim, vocab_size, prompt_dim,
               dtype, tiny):
    return {
        "format": "grounding-studio/glamm-torchscript/1",
        "tiny": tiny,
        "dtype": dtype,
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
        "files": {"global_encoder": "global_encoder.pt", "embed_tokens": "embed_tokens.pt",
                  "language_model": "language_model.pt", "grounding_encoder": "grounding_encoder.pt",
                  "pixel_decoder": "pixel_decoder.pt", "tokenizer": "tokenizer.json"},
        "signatures": {
            "global_encoder": "image_clip f[1,3,336,336] -> image_tokens f[1,N,D]",
            "embed_tokens": "ids i64[1,T] -> embeds f[1,T,D]",
            "language_model": "embeds f32[1,T,D], past [L,2,1,H,S,Dh] (any float dtype) -> logits f32[1,V] "
                              "(last position), hidden f32[1,D] (last position, after the final norm), "
                              "past [L,2,1,H,S+T,Dh] in the export dtype",
            "grounding_encoder": "image f[1,3,1024,1024] -> embedding f[1,C,64,64]",
            "pixel_decoder": "seg_hidden f[N,D], embedding f[1,C,64,64] -> low_res_masks f[N,1,256,256]",
        },
    }
