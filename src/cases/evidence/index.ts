/** Evidence on cases: checks, metadata stripping, content-addressed storage, chain of custody, staff routes and list. */
export { checkFile, checkFiles, checkSizes, cleanFileName, evidenceFromFiles, EvidenceError, MAX_FILE_BYTES, MAX_FILES_PER_SUBMISSION, MAX_IMAGE_PIXELS, sha256Hex, type CheckedEvidence, type EvidenceFile, type EvidenceProblem } from "./check.js";
export { ACCEPTED_TYPES_TEXT, describeContent, detectType, EVIDENCE_TYPES, isImage, type EvidenceType } from "./detect.js";
export { evidenceRoutes } from "./routes.js";
export { custodyOf, evidenceForCase, openEvidence, storeEvidence, type CustodyAction, type CustodyRecord, type EvidenceActor, type EvidenceSummary, type StoredEvidence } from "./store.js";
export { stripJpeg, stripMetadata, stripPng, StripError } from "./strip.js";
export { EvidenceList, formatSize, type EvidenceListProps } from "./views.js";
