export { en, type MessageKey } from "./en.js";
export { es } from "./es.js";
export { pickLanguage, translator, type Lang, type Translate, LANGS } from "./translate.js";
