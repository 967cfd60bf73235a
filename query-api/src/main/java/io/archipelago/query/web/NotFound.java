package io.archipelago.query.web;

/** Nothing is known (yet) by the id asked for; answered 404. Read models are eventually consistent. */
public final class NotFound extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NotFound(String what) {
        super(what + " is not known");
    }
}
