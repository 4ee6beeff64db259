/** @descent/optim-adabelief: AdaBelief as a gradient transform and registry plugin, adabelief-pytorch 0.2.0 semantics. */
export { adabelief, adabeliefTransform, adabeliefDefaults, type AdaBeliefConfig, type AdaBeliefHyper, type AdaBeliefSlot, type AdaBeliefState } from './adabelief';
