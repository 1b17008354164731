/*
 * The C side of AnchorHarness: times pycocotools' maskApi.c on the anchor workload the way
 * shared/spec/rle-anchor.md describes (one pass = the 50 items, 2 untimed warm-up passes, median of the timed
 * passes, frees outside the timed region), driven by the Java harness so that Java and C rounds interleave.
 *
 * maskApi.c / maskApi.h are NOT part of this repository: take them unchanged from cocodataset/cocoapi
 * (common/, commit 8c9bcc3) or a pycocotools source package. Build (what `./studio bench rle-compare DIR` does):
 *   cc -O2 -c DIR/maskApi.c -IDIR && cc -O2 -c rle_anchor_bench.c -IDIR && cc -O2 maskApi.o rle_anchor_bench.o -lm
 *
 * Usage: rle_anchor_bench WORKLOAD_FILE, then one command per line on stdin: "OP PASSES"; each answers one line
 * "MEDIAN MIN MAX" in microseconds per operation. OP is one of encode decode toString frString area bbox iou
 * union intersection frPoly. The workload file (written by AnchorHarness, little-endian int32 / float64):
 * h, w, n, then n masks as (m, m counts), then p, k, then p polygons of 2k doubles.
 * On start it prints "check AREA_SUM RUNS_SUM FNV1A_HEX" for the Java side to compare with its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>
#include "maskApi.h"

static double now_us(void) {
  struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int32_t rd_i32(FILE *f) {
  unsigned char b[4];
  if (fread(b, 1, 4, f) != 4) { fprintf(stderr, "workload file truncated\n"); exit(2); }
  return (int32_t) ((uint32_t) b[0] | (uint32_t) b[1] << 8 | (uint32_t) b[2] << 16 | (uint32_t) b[3] << 24);
}

static double rd_f64(FILE *f) {
  unsigned char b[8]; uint64_t u = 0; double d; int i;
  if (fread(b, 1, 8, f) != 8) { fprintf(stderr, "workload file truncated\n"); exit(2); }
  for (i = 7; i >= 0; i--) u = u << 8 | b[i];
  memcpy(&d, &u, 8); return d;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *) a, y = *(const double *) b; return x < y ? -1 : x > y;
}

static siz H, W, N, P, K;
static RLE *R, *T, *pairs;
static byte **B, *OUT;
static char **S;
static double **XY, *IOU;
static volatile unsigned long sink;

/* One pass of OP; returns the number of operations it counts as. */
static int pass(const char *op) {
  siz i, r;
  if (!strcmp(op, "encode")) { for (i = 0; i < N; i++) rleEncode(&T[i], B[i], H, W, 1); return (int) N; }
  if (!strcmp(op, "decode")) { for (i = 0; i < N; i++) rleDecode(&R[i], OUT, 1); sink += OUT[H * W - 1]; return (int) N; }
  if (!strcmp(op, "toString")) { for (i = 0; i < N; i++) S[N + i] = rleToString(&R[i]); return (int) N; }
  if (!strcmp(op, "frString")) { for (i = 0; i < N; i++) rleFrString(&T[i], S[i], H, W); return (int) N; }
  if (!strcmp(op, "area")) {
    uint a; for (r = 0; r < 20; r++) for (i = 0; i < N; i++) { rleArea(&R[i], 1, &a); sink += a; }
    return (int) (N * 20);
  }
  if (!strcmp(op, "bbox")) {
    double bb[4]; for (r = 0; r < 20; r++) for (i = 0; i < N; i++) { rleToBbox(&R[i], bb, 1); sink += (unsigned long) bb[2]; }
    return (int) (N * 20);
  }
  if (!strcmp(op, "iou")) { rleIou(R, R, N, N, NULL, IOU); sink += (unsigned long) IOU[1]; return 1; }
  if (!strcmp(op, "union") || !strcmp(op, "intersection")) {
    int inter = !strcmp(op, "intersection");
    for (i = 0; i < N; i++) { pairs[0] = R[i]; pairs[1] = R[(i + 1) % N]; rleMerge(pairs, &T[i], 2, inter); }
    return (int) N;
  }
  if (!strcmp(op, "frPoly")) { for (i = 0; i < P; i++) rleFrPoly(&T[i], XY[i], K, H, W); return (int) P; }
  return -1;
}

/* What the timed region leaves allocated, freed untimed as in the anchor. */
static void cleanup(const char *op) {
  siz i;
  if (!strcmp(op, "toString")) { for (i = 0; i < N; i++) { free(S[N + i]); S[N + i] = 0; } return; }
  if (!strcmp(op, "encode") || !strcmp(op, "frString") || !strcmp(op, "union") || !strcmp(op, "intersection")
      || !strcmp(op, "frPoly")) {
    for (i = 0; i < N; i++) rleFree(&T[i]);
  }
}

int main(int argc, char **argv) {
  siz i, j;
  FILE *f;
  if (argc != 2 || !(f = fopen(argv[1], "rb"))) { fprintf(stderr, "usage: rle_anchor_bench WORKLOAD_FILE\n"); return 2; }
  H = (siz) rd_i32(f); W = (siz) rd_i32(f); N = (siz) rd_i32(f);
  R = calloc(N, sizeof(RLE)); T = calloc(N > 64 ? N : 64, sizeof(RLE)); pairs = calloc(2, sizeof(RLE));
  B = calloc(N, sizeof(byte *)); S = calloc(2 * N, sizeof(char *));
  unsigned long area = 0, runs = 0; uint64_t fnv = 0xcbf29ce484222325ULL;
  for (i = 0; i < N; i++) {
    siz m = (siz) rd_i32(f);
    rleInit(&R[i], H, W, m, 0);
    for (j = 0; j < m; j++) R[i].cnts[j] = (uint) rd_i32(f);
    uint a; rleArea(&R[i], 1, &a); area += a; runs += m;
    B[i] = malloc(H * W); rleDecode(&R[i], B[i], 1);
    S[i] = rleToString(&R[i]);
    for (j = 0; S[i][j]; j++) { fnv ^= (unsigned char) S[i][j]; fnv *= 0x100000001b3ULL; }
  }
  P = (siz) rd_i32(f); K = (siz) rd_i32(f);
  XY = calloc(P, sizeof(double *));
  for (i = 0; i < P; i++) { XY[i] = malloc(sizeof(double) * 2 * K); for (j = 0; j < 2 * K; j++) XY[i][j] = rd_f64(f); }
  fclose(f);
  OUT = malloc(H * W); memset(OUT, 1, H * W);
  IOU = malloc(sizeof(double) * N * N);
  printf("check %lu %lu %016llx\n", area, runs, (unsigned long long) fnv); fflush(stdout);

  char op[64]; int passes;
  while (scanf("%63s %d", op, &passes) == 2) {
    double *t = malloc(sizeof(double) * (passes > 0 ? passes : 1));
    int w, k, ops = 0;
    for (w = 0; w < 2; w++) { ops = pass(op); cleanup(op); }
    if (ops < 0) { printf("error unknown op %s\n", op); fflush(stdout); free(t); continue; }
    for (k = 0; k < passes; k++) {
      double t0 = now_us(); pass(op); double t1 = now_us();
      cleanup(op);
      t[k] = (t1 - t0) / ops;
    }
    qsort(t, passes, sizeof(double), cmp_double);
    printf("%.4f %.4f %.4f\n", t[passes / 2], t[0], t[passes - 1]); fflush(stdout);
    free(t);
  }
  return 0;
}
