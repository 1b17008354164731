package studio.grounding.web.ui;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.ParentLayout;
import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletResponse;

/**
 * "Not found" inside the main layout, for unknown addresses, unknown datasets and views the user may not
 * open (which look the same on purpose). Shows no detail from the request.
 */
@ParentLayout(MainLayout.class)
@PermitAll
public class NotFoundView extends VerticalLayout implements HasErrorParameter<NotFoundException> {

    public NotFoundView() {
        addClassName("not-found-view");
        add(new H2("Not found"),
                new Paragraph("There is nothing here, or you may not open it."),
                startPageLink());
    }

    private static Anchor startPageLink() {
        Anchor link = new Anchor(".", "Go to the start page");
        link.getElement().setAttribute("router-link", true);
        return link;
    }

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<NotFoundException> parameter) {
        return HttpServletResponse.SC_NOT_FOUND;
    }
}
