package studio.grounding.web.ui;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.Scroller;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.Layout;
import jakarta.annotation.security.PermitAll;
import com.vaadin.flow.server.menu.MenuConfiguration;
import com.vaadin.flow.server.menu.MenuEntry;
import com.vaadin.flow.spring.security.AuthenticationContext;
import studio.grounding.security.UserAccount;
import studio.grounding.security.UserService;

/**
 * The frame around every signed-in view: app name, side navigation built from the views' {@code @Menu}
 * entries (only those the user may open), and the current user with a sign-out button.
 */
@Layout
@PermitAll
public class MainLayout extends AppLayout {

    private final transient AuthenticationContext authentication;

    public MainLayout(AuthenticationContext authentication, UserService users) {
        this.authentication = authentication;
        setPrimarySection(Section.DRAWER);

        Span appName = new Span("Grounding Studio");
        appName.addClassName("app-name");
        Div brand = new Div(appName);
        brand.addClassName("app-brand");

        Scroller navigation = new Scroller(sideNav());
        navigation.addClassName("app-nav");
        addToDrawer(brand, navigation);

        Span user = new Span(displayName(authentication, users));
        user.addClassName("current-user");
        Icon userIcon = VaadinIcon.USER.create();
        userIcon.addClassName("current-user-icon");
        Button logout = new Button("Sign out", e -> this.authentication.logout());
        logout.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        logout.setId("logout");

        HorizontalLayout userBox = new HorizontalLayout(userIcon, user, logout);
        userBox.setAlignItems(HorizontalLayout.Alignment.CENTER);
        userBox.addClassName("user-box");

        HorizontalLayout navbar = new HorizontalLayout(new DrawerToggle(), userBox);
        navbar.setWidthFull();
        navbar.setAlignItems(HorizontalLayout.Alignment.CENTER);
        navbar.expand(userBox);
        navbar.addClassName("app-navbar");
        addToNavbar(navbar);
    }

    private static String displayName(AuthenticationContext authentication, UserService users) {
        return authentication.getPrincipalName()
                .map(name -> users.find(name).map(UserAccount::displayName)
                        .filter(display -> !display.isBlank())
                        .orElse(name))
                .orElse("");
    }

    private static SideNav sideNav() {
        SideNav nav = new SideNav();
        for (MenuEntry entry : MenuConfiguration.getMenuEntries()) {
            SideNavItem item = new SideNavItem(entry.title(), entry.path());
            if (entry.icon() != null) {
                item.setPrefixComponent(new Icon(entry.icon()));
            }
            nav.addItem(item);
        }
        return nav;
    }
}
