// Switch on the NHS.UK frontend's behaviour: the error summary takes focus, the header menu
// collapses on small screens, and wide tables scroll with a visible cue.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

initAll();
