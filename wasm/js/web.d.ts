// Types of the browser entry point (web.js).
import type { Shequ } from "./types.js";
export * from "./types.js";
export declare function load(wasmUrl?: string | URL): Promise<Shequ>;
/** The API with plans and sweeps (a second, larger module, fetched when called). */
export declare function loadPlans(wasmUrl?: string | URL): Promise<Shequ>;
