// Starts the NHS design system's components. The NHS page template does the first step with an
// inline <script>; our Content-Security-Policy forbids inline scripts, so it happens here. Only
// browsers that run ES modules reach this file, which is what "nhsuk-frontend-supported" means.
import { initAll } from '../vendor/nhsuk-frontend.min.js';

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported');
initAll();
