#!/usr/bin/env python3
"""Export GLaMM into the model directory the inference worker loads (see README.md).

  export_glamm.py --tiny OUT_DIR [--fixtures DIR] [--dtype D]   random tiny parts with the real signatures (tests)
  export_glamm.py --glamm-repo REPO --checkpoint CKPT OUT_DIR [--dtype float32|bfloat16|float16] [--device cuda]
                  [--verify-image IMG]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("--tiny", action="store_true", help="write tiny random-weight parts (no checkpoint needed)")
    ap.add_argument("--fixtures", help="with --tiny: also write reference tensors for the Java tests here")
    ap.add_argument("--glamm-repo", help="a clone of github.com/mbzuai-oryx/groundingLMM")
    ap.add_argument("--checkpoint", help="GLaMM checkpoint directory in HF format, e.g. a download of MBZUAI/GLaMM-GCG")
    ap.add_argument("--dtype", default="float32", choices=["float32", "bfloat16", "float16"])
    ap.add_argument("--device", default="cpu", help="device to trace on = the device the worker will run the parts on (traced graphs "
                                               "bake it in; recorded in glamm.json). Real bf16 export: ~40 GB GPU "
                                               "memory with --verify-image")
    ap.add_argument("--verify-image", nargs="*", default=[],
                    help="after export: run the official evaluate() on these images and the exported parts, and "
                         "compare the generated tokens, the [SEG] hidden states and the masks (IoU)")
    args = ap.parse_args()
    if args.tiny:
        from tiny_glamm import write_tiny
        write_tiny(args.out_dir, args.fixtures, args.dtype, args.device)
    else:
        if not args.glamm_repo or not args.checkpoint:
            ap.error("--glamm-repo and --checkpoint are required without --tiny")
        from real_glamm import export_real
        export_real(args.glamm_repo, args.checkpoint, args.out_dir, args.dtype, args.device, args.verify_image)
    print("wrote", args.out_dir)


if __name__ == "__main__":
    main()
