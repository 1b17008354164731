"""Float32 in, float32 out around every exported part, whatever the export dtype.

DJL 0.35.1 aborts the JVM (C++ `terminate`) when it casts an NDArray to bfloat16, so the worker never casts: the
parts take float32 (and int64 ids), cast to the export dtype inside, and return float32. Values coming out of a
bf16 part are bf16-exact, so the round trip through float32 changes nothing. The KV cache is the exception: it
stays in the export dtype and is opaque to Java (the first, empty cache may be float32: it is cast inside).
"""
import torch
import torch.nn as nn


class ImageIO(nn.Module):
    """global_encoder, grounding_encoder: f32 image -> f32 features."""

    def __init__(self, inner: nn.Module, dtype: torch.dtype):
        super().__init__()
        self.inner = inner
        self.dtype = dtype

    def forward(self, image):
        return self.inner(image.to(self.dtype)).float()


class EmbedIO(nn.Module):
    def __init__(self, inner: nn.Module, dtype: torch.dtype):
        super().__init__()
        self.inner = inner
        self.dtype = dtype

    def forward(self, ids):
        return self.inner(ids).float()


class LanguageModelIO(nn.Module):
    """f32 embeds, cache (any float dtype) -> f32 logits, f32 hidden, cache in the export dtype."""

    def __init__(self, inner: nn.Module, dtype: torch.dtype):
        super().__init__()
        self.inner = inner
        self.dtype = dtype

    def forward(self, embeds, past):
        logits, hidden, presents = self.inner(embeds.to(self.dtype), past.to(self.dtype))
        return logits.float(), hidden.float(), presents


class PixelDecoderIO(nn.Module):
    def __init__(self, inner: nn.Module, dtype: torch.dtype):
        super().__init__()
        self.inner = inner
        self.dtype = dtype

    def forward(self, seg_hidden, embedding):
        return self.inner(seg_hidden.to(self.dtype), embedding.to(self.dtype)).float()


WRAPPERS = {"global_encoder": ImageIO, "embed_tokens": EmbedIO, "language_model": LanguageModelIO,
            "grounding_encoder": ImageIO, "pixel_decoder": PixelDecoderIO}


class PromptDecoderIO(nn.Module):
    """prompt_decoder: f32 embedding, points, labels, mask input, has_mask -> f32 low-res masks, f32 iou."""

    def __init__(self, inner: nn.Module, dtype: torch.dtype):
        super().__init__()
        self.inner = inner
        self.dtype = dtype

    def forward(self, embedding, points, labels, mask_input, has_mask):
        d = self.dtype
        low_res, iou = self.inner(embedding.to(d), points.to(d), labels, mask_input.to(d), has_mask)
        return low_res.float(), iou.float()


WRAPPERS["prompt_decoder"] = PromptDecoderIO
