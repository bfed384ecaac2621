// Types of the browser entry point (web.js).
import type { Shequ } from "./types.js";
export * from "./types.js";
export declare function load(wasmUrl?: string | URL): Promise<Shequ>;
