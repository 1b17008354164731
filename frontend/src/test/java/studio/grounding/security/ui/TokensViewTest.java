package studio.grounding.security.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextField;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import studio.grounding.security.ApiTokenInfo;
import studio.grounding.security.ApiTokenService;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;
import studio.grounding.web.ui.UiTest;

@UiTest
class TokensViewTest extends SpringBrowserlessTest {

    @Autowired
    UserService users;
    @Autowired
    ApiTokenService tokens;

    @Test
    @WithMockUser(username = "tokenuser", roles = "ANNOTATOR")
    void createsATokenAndShowsTheSecretOnlyOnce() {
        if (users.find("tokenuser").isEmpty()) {
            users.create("tokenuser", "Token User", "a-long-password", java.util.Set.of(Role.ANNOTATOR));
        }
        navigate(TokensView.class);

        test($view(TextField.class).id("token-name")).setValue("export script");
        test($view(Button.class).id("create-token")).click();

        Dialog dialog = $(Dialog.class).single();
        String plaintext = $(TextField.class, dialog).id("token-plaintext").getValue();
        assertThat(plaintext).isNotBlank();
        assertThat(tokens.authenticate(plaintext)).hasValueSatisfying(u -> assertThat(u.username()).isEqualTo("tokenuser"));
        assertThat($(Paragraph.class, dialog).single().getText()).contains("will not be shown again");

        List<ApiTokenInfo> listed = tokens.list("tokenuser");
        assertThat(listed).singleElement().satisfies(t -> assertThat(t.name()).isEqualTo("export script"));
        @SuppressWarnings("unchecked")
        Grid<ApiTokenInfo> grid = $view(Grid.class).id("tokens");
        assertThat(test(grid).size()).isEqualTo(1);
        assertThat(test(grid).getCellText(0, 1)).isEqualTo(listed.getFirst().prefix() + "…")
                .doesNotContain(plaintext);

        test($(Button.class, dialog).id("token-done")).click();
        assertThat($(Dialog.class).all()).isEmpty();
        // the secret is nowhere in the view any more
        assertThat($view(TextField.class).all()).noneMatch(f -> plaintext.equals(f.getValue()));
    }

    @Test
    @WithMockUser(username = "revoker", roles = "ANNOTATOR")
    void revokesAToken() {
        if (users.find("revoker").isEmpty()) {
            users.create("revoker", "Revoker", "a-long-password", java.util.Set.of(Role.ANNOTATOR));
        }
        String plaintext = tokens.issue("revoker", "ci").plaintext();
        TokensView view = navigate(TokensView.class);

        view.revoke(tokens.list("revoker").getFirst());

        assertThat(tokens.authenticate(plaintext)).isEmpty();
        assertThat(tokens.list("revoker").getFirst().revokedAt()).isNotNull();
    }
}
