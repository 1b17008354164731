package studio.grounding.web.ui;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.login.LoginForm;
import com.vaadin.flow.component.login.LoginI18n;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.auth.AnonymousAllowed;

/**
 * Form login: posts to Spring Security's {@code /login} processing URL, with Spring's CSRF token (which
 * vaadin-login-form reads from the page's {@code _csrf} meta tags). Every failure, a locked account included,
 * shows the same message.
 */
@Route(value = "login", autoLayout = false)
@PageTitle("Sign in · Grounding Studio")
@AnonymousAllowed
public class LoginView extends VerticalLayout implements BeforeEnterObserver {

    static final String ERROR_MESSAGE = "Check them and try again. After several failed attempts, signing in is "
            + "paused for a while: then try again later.";

    private final LoginForm login = new LoginForm();

    public LoginView() {
        addClassName("login-view");
        setSizeFull();
        setAlignItems(FlexComponent.Alignment.CENTER);
        setJustifyContentMode(FlexComponent.JustifyContentMode.CENTER);

        login.setAction("login");
        login.setForgotPasswordButtonVisible(false);
        // one message for a wrong password, an unknown user and a locked account or address (no user enumeration)
        LoginI18n i18n = LoginI18n.createDefault();
        i18n.getErrorMessage().setTitle("Wrong user name or password");
        i18n.getErrorMessage().setMessage(ERROR_MESSAGE);
        login.setI18n(i18n);

        H1 title = new H1("Grounding Studio");
        title.addClassName("login-title");
        Paragraph subtitle = new Paragraph("Review and correct grounded captions");
        subtitle.addClassName("login-subtitle");
        add(title, subtitle, login);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        login.setError(event.getLocation().getQueryParameters().getParameters().containsKey("error"));
    }
}
