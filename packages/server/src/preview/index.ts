export { previewHosts } from './middleware.ts';
export { previewInfoSchema, previewRoutes, startPreviewBody } from './routes.ts';
export {
  type PreviewInfo,
  PreviewService,
  type PreviewServiceOptions,
  type PreviewStatus,
} from './service.ts';
export { handlePreviewUpgrade } from './upgrade.ts';
