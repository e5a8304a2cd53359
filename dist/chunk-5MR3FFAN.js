import { createRequire as __factoryCreateRequire } from 'node:module'; const require = __factoryCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g}from"./chunk-KTRD6HLK.js";import"./chunk-FMUOGJIF.js";export{a as child_process,b as crypto,c as fs,d as os,e as path,f as stream,g as util};
