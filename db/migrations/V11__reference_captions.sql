-- Further reference captions of a revision's ground truth (issue 10): a COCO GCG caption file may hold several
-- caption annotations per image, and pycocoevalcap scores a prediction against all of them. The revision's own
-- caption is reference 0 (and carries the labels the mask metrics use); these are references 1, 2, ... Written
-- with the revision and never changed; a revision made from a parent carries the parent's references forward.
create table revision_references (
    revision_id bigint  not null references caption_revisions (id) on delete cascade,
    ordinal     integer not null check (ordinal >= 1),
    caption     text    not null,
    primary key (revision_id, ordinal)
);

-- How a model listed its output (issue 10): GLaMM's prediction files list phrases and pred_masks in an order
-- evaluate.py uses as is, which need not be caption order and may name a phrase the caption lacks. The revision keeps
-- the located phrases in caption order; this keeps the listing: the phrase texts as listed and, for each listed mask,
-- its ordinal among the revision's masks. Written with the revision, never changed.
create table revision_listings (
    revision_id bigint not null primary key references caption_revisions (id) on delete cascade,
    phrases     text[] not null,
    mask_order  int[]  not null
);
