package studio.grounding.api;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionSummary;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ImageInfo;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.model.ModelVersion;
import studio.grounding.security.ApiTokenInfo;
import studio.grounding.security.Role;
import studio.grounding.security.UserAccount;

/** The JSON shapes of the API, decoupled from the domain records they are made from. */
final class ApiJson {

    private ApiJson() {
    }

    /** A dataset with its item counts per status. */
    record Dataset(long id, String name, String description, OffsetDateTime createdAt, long itemCount,
                   Map<ItemStatus, Long> itemsByStatus) {

        static Dataset of(DatasetSummary d) {
            return new Dataset(d.id(), d.name(), d.description(), d.createdAt(), d.itemCount(), d.itemsByStatus());
        }
    }

    /** A page of items with the total count of the query. */
    record ItemPage(List<Item> items, int page, int size, long total) {
    }

    /** An item with its image (and, in the item endpoint, its latest revision). */
    record Item(long id, long datasetId, String datasetName, ItemStatus status, Long latestRevisionId,
                OffsetDateTime updatedAt, Image image, RevisionJson latestRevision) {

        static Item of(ItemInfo item, String datasetName, RevisionJson latest) {
            return new Item(item.id(), item.datasetId(), datasetName, item.status(), item.latestRevisionId(),
                    item.updatedAt(), Image.of(item.image()), latest);
        }
    }

    /** Image metadata; {@code url} serves the bytes. */
    record Image(long id, String fileName, String contentHash, String mediaType, long byteSize, int width, int height,
                 String source, String split, String url) {

        static Image of(ImageInfo i) {
            return new Image(i.id(), i.fileName(), i.contentHash(), i.mediaType(), i.byteSize(), i.width(), i.height(),
                    i.source(), i.split().dbValue(), "/media/images/" + i.contentHash());
        }
    }

    /** A stored state of an item's grounded caption, with phrases, masks and warnings. */
    record RevisionJson(long id, long itemId, Long parentId, String origin, String author, Long modelVersionId,
                        String contentHash, String source, List<String> warnings, OffsetDateTime createdAt,
                        String caption, List<Phrase> phrases, List<Mask> unlinkedMasks) {

        static RevisionJson of(Revision r) {
            return new RevisionJson(r.id(), r.itemId(), r.parentId(), r.origin().name(), r.author(),
                    r.modelVersionId(), r.contentHash(), r.source(), r.warnings(), r.createdAt(),
                    r.caption().caption(), r.caption().phrases().stream().map(Phrase::of).toList(),
                    r.caption().unlinkedMasks().stream().map(Mask::of).toList());
        }
    }

    /** A phrase: the character span {@code [start, end)} of the caption, its text and its masks. */
    record Phrase(int start, int end, String text, List<Mask> masks) {

        static Phrase of(PhraseSpan p) {
            return new Phrase(p.start(), p.end(), p.text(), p.masks().stream().map(Mask::of).toList());
        }
    }

    /** A mask in COCO compressed RLE: {@code size} is {@code [height, width]}. */
    record Mask(List<Integer> size, String counts) {

        static Mask of(MaskRle m) {
            return new Mask(List.of(m.height(), m.width()), m.counts());
        }
    }

    /** A revision in an item's history, without its content. */
    record HistoryEntry(long id, Long parentId, String origin, String author, Long modelVersionId, String contentHash,
                        OffsetDateTime createdAt, int phraseCount, int maskCount) {

        static HistoryEntry of(RevisionSummary s) {
            return new HistoryEntry(s.id(), s.parentId(), s.origin().name(), s.author(), s.modelVersionId(),
                    s.contentHash(), s.createdAt(), s.phraseCount(), s.maskCount());
        }
    }

    /** A registered model version. */
    record Model(long id, String name, String description, Long parentId, OffsetDateTime createdAt) {

        static Model of(ModelVersion m) {
            return new Model(m.id(), m.name(), m.description(), m.parentId(), m.createdAt());
        }
    }

    /** An API token of the caller; never the token itself. */
    record Token(long id, String name, String prefix, boolean active, OffsetDateTime createdAt,
                 OffsetDateTime lastUsedAt, OffsetDateTime revokedAt) {

        static Token of(ApiTokenInfo t) {
            return new Token(t.id(), t.name(), t.prefix(), t.active(), t.createdAt(), t.lastUsedAt(), t.revokedAt());
        }
    }

    /** The request to issue a token. */
    record NewToken(String name) {
    }

    /** A newly issued token: {@code token} is shown this once only. */
    record IssuedTokenJson(long id, String name, String prefix, OffsetDateTime createdAt, String token) {
    }

    /** A user account. */
    record User(long id, String username, String displayName, List<Role> roles, boolean enabled,
                OffsetDateTime createdAt) {

        static User of(UserAccount u) {
            return new User(u.id(), u.username(), u.displayName(), List.copyOf(u.roles()), u.enabled(), u.createdAt());
        }
    }

    /** The request to create a user. */
    record NewUser(String username, String displayName, String password, List<Role> roles) {

        @Override
        public String toString() {
            return "NewUser[username=" + username + ", roles=" + roles + "]";
        }
    }
}
