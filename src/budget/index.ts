export { budgetRoutes } from "./routes.js";
export { budgetEn, budgetEs, budgetTranslator, type BudgetKey } from "./i18n.js";
export { BUDGET_POLICY, type BudgetAction } from "./policy.js";
export { budgetOpenApiPaths } from "./openapi.js";
export { seedBudgetDemo, seedKansasCityBudget, DEMO_CODES, DEMO_VOTING_SLUG, DEMO_RESULTS_SLUG } from "./seed.js";
export { importElection, exportProcess } from "./pabulib-io.js";
