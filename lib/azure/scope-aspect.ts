// azurerm resources take `tags` where Azure can tag them (role assignments, subnets and
// associations cannot, and have no such argument): the shared aspect applies as is.
export { ScopeAspect as AzureScopeAspect, applyScope as applyAzureScope } from '../common/scope-aspect';
