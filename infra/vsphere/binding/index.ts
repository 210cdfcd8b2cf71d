/** strata's typed binding to the vSphere provider plugin (see DESIGN.md, "vSphere provider binding"). */
export * from "./anti-affinity-rule";
export * from "./entity-permissions";
export * from "./folder";
export * from "./lookups";
export * from "./provider";
export * from "./role";
export * from "./virtual-machine";
