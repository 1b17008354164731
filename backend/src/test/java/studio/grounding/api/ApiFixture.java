package studio.grounding.api;

import static org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.NewRevision;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ImageInfo;
import studio.grounding.dataset.ImageStore;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.dataset.StoredImage;
import studio.grounding.mask.Rle;
import studio.grounding.security.ApiTokenService;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;

/** Users of every role with their tokens, and a small dataset, unique per test class (the database is shared). */
final class ApiFixture {

    static final String PASSWORD = "correct horse battery";

    final String run = Long.toString(System.nanoTime(), 36);
    final Map<Role, String> tokens = new EnumMap<>(Role.class);
    final Map<Role, String> usernames = new EnumMap<>(Role.class);
    final String revokedToken;
    final String disabledUserToken;
    final MockMvc mvc;

    private final DatasetService datasets;
    private final RevisionService revisions;
    private final ImageStore store;

    /**
     * @param context the platform in this JVM (a web application context: {@link #mvc} calls it) or attached to a
     *                platform elsewhere (the packaged jar; {@link #mvc} is then null)
     */
    ApiFixture(ApplicationContext context) {
        this.mvc = context instanceof WebApplicationContext web
                ? MockMvcBuilders.webAppContextSetup(web).apply(springSecurity()).build()
                : null;
        UserService users = context.getBean(UserService.class);
        ApiTokenService apiTokens = context.getBean(ApiTokenService.class);
        this.datasets = context.getBean(DatasetService.class);
        this.revisions = context.getBean(RevisionService.class);
        this.store = context.getBean(ImageStore.class);
        for (Role role : Role.values()) {
            String username = role.name().toLowerCase() + "-" + run;
            users.create(username, role.name() + " " + run, PASSWORD, Set.of(role));
            usernames.put(role, username);
            tokens.put(role, apiTokens.issue(username, "test").plaintext());
        }
        var revoked = apiTokens.issue(usernames.get(Role.ADMIN), "revoked");
        apiTokens.revoke(usernames.get(Role.ADMIN), revoked.info().id());
        this.revokedToken = revoked.plaintext();
        String disabled = "disabled-" + run;
        users.create(disabled, null, PASSWORD, Set.of(Role.ADMIN));
        this.disabledUserToken = apiTokens.issue(disabled, "test").plaintext();
        users.setEnabled(disabled, false);
    }

    String bearer(Role role) {
        return "Bearer " + tokens.get(role);
    }

    DatasetSummary dataset(String name) {
        return datasets.getOrCreate(name + "-" + run, "test");
    }

    /** An item on a real stored PNG of the given size, with distinct pixels per call. */
    ItemInfo item(DatasetSummary dataset, String fileName, int width, int height) {
        return item(dataset, fileName, width, height, Split.TRAIN);
    }

    ItemInfo item(DatasetSummary dataset, String fileName, int width, int height, Split split) {
        StoredImage stored = store.store(new ByteArrayInputStream(png(width, height, fileName.hashCode())), fileName);
        ImageInfo image = datasets.addImage(dataset.id(), fileName, stored, "test", split);
        return datasets.ensureItem(image);
    }

    void status(ItemInfo item, ItemStatus status) {
        datasets.setStatus(item.id(), status);
    }

    Revision revise(ItemInfo item, Long parent, GroundedCaption caption, Origin origin, Long modelVersionId,
                    Map<String, Double> timings) {
        return revisions.append(new NewRevision(item.id(), parent, caption, origin, "tester", modelVersionId, "test",
                List.of(), timings, item.image().height(), item.image().width()));
    }

    Revision revise(ItemInfo item, Long parent, GroundedCaption caption, Origin origin) {
        return revisions.append(new NewRevision(item.id(), parent, caption, origin, "tester", null, "test",
                List.of("phrase count differs"), null, item.image().height(), item.image().width()));
    }

    static byte[] png(int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, seed * 31 + x * 7 + y);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A w×h box at (x, y) in an image of the given size, as compressed RLE (column-major, like COCO). */
    static MaskRle box(int imageHeight, int imageWidth, int x, int y, int w, int h) {
        byte[] bitmap = new byte[imageHeight * imageWidth];
        for (int cx = x; cx < x + w; cx++) {
            for (int cy = y; cy < y + h; cy++) {
                bitmap[cx * imageHeight + cy] = 1;
            }
        }
        return new MaskRle(imageHeight, imageWidth, Rle.encode(bitmap, imageHeight, imageWidth).toCompressedString());
    }

    static GroundedCaption caption(String text, List<PhraseSpan> phrases, List<MaskRle> unlinked) {
        return new GroundedCaption(text, phrases, unlinked);
    }
}
