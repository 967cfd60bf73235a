import { h } from "preact";
import htm from "htm";

/** Tagged templates for Preact, so the app needs no JSX compiler. */
export const html = htm.bind(h);
