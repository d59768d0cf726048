" Vim syntax file for Harn (.harn): a small regex highlighter for Vim and Neovim.
" The VS Code grammar (editors/vscode/syntaxes) is the complete one; this covers keywords,
" strings with ${} interpolation, raw and multi-line strings, nested and doc comments,
" numbers and durations, attributes, declarations and common types.
if exists("b:current_syntax")
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn keyword harnConditional if else match guard
syn keyword harnRepeat      for while break continue
syn keyword harnStatement   return throw yield emit require
syn keyword harnException   try catch finally retry
syn keyword harnConcurrency spawn parallel deadline mutex defer select
syn keyword harnInclude     import from
syn keyword harnOperatorWord in to exclusive
syn keyword harnStorage     let var
syn keyword harnStructure   struct enum interface impl type pipeline tool skill eval_pack nextgroup=harnTypeName skipwhite
syn keyword harnFnKeyword   fn nextgroup=harnFuncName skipwhite
syn keyword harnModifier    pub extends override
syn keyword harnBoolean     true false
syn keyword harnNil         nil
syn keyword harnSelf        self
syn match   harnContextual  "\<gen\ze\s\+fn\>"
syn match   harnContextual  "\<not\ze\s\+in\>"
syn match   harnContextual  "\%(\<parallel\s\+\)\@<=\%(each\|settle\)\>"
syn match   harnContextual  "}\s*\zsas\s\+stream\>"
syn match   harnContextual  "\<timeout\ze\s\+\d"
syn match   harnContextual  "\<default\ze\s*{"
syn match   harnContextual  ")\s*\zswhere\>"

syn match   harnFuncName    "\h\w*" contained
syn match   harnTypeName    "\h\w*" contained
syn match   harnFuncCall    "\<\h\w*\ze\s*("
syn match   harnType        "\<\u\w*\>"
syn keyword harnBuiltinType int float string bool any unknown never list dict set iter generator stream closure bytes range duration Result Iter Generator Stream Pair Schema
syn match   harnMember      "?\?\.\s*\zs\h\w*"

syn match   harnAttribute   "@\h\w*"

syn match   harnNumber      "\<\d\+\>"
syn match   harnFloat       "\<\d\+\.\d\+"
syn match   harnDuration    "\<\d\+[smhdw]\%([[:alnum:]]\)\@!"
syn match   harnDuration    "\<\d\+ms"

syn match   harnEscape      +\\[nt\\"$]+ contained
syn region  harnInterp      matchgroup=harnInterpDelim start="\${" end="}" contained contains=@harnExpr,harnInterpBraces
syn region  harnInterpBraces start="{" end="}" contained transparent contains=@harnExpr,harnInterpBraces
syn region  harnString      start=+"+ skip=+\\\\\|\\"+ end=+"+ end=+\\\@<!$+ contains=harnEscape,harnInterp
syn region  harnRawString   start=+\<r"+ end=+"+ end=+$+
syn region  harnMultiString start=+"""+ end=+"""+ contains=harnInterp

syn keyword harnTodo        TODO FIXME XXX NOTE contained
syn region  harnBlockComment start="/\*" end="\*/" contains=harnBlockComment,harnTodo
syn region  harnDocBlock    start="/\*\*\%([*/]\)\@!" end="\*/" contains=harnBlockComment,harnTodo
syn match   harnLineComment "//.*$" contains=harnTodo
syn match   harnDocComment  "///\%(/\)\@!.*$" contains=harnTodo
syn match   harnShebang     "\%^#!.*$"

syn cluster harnExpr contains=harnConditional,harnRepeat,harnStatement,harnException,harnConcurrency,harnOperatorWord,harnStorage,harnFnKeyword,harnBoolean,harnNil,harnSelf,harnFuncCall,harnType,harnMember,harnNumber,harnFloat,harnDuration,harnString,harnRawString,harnMultiString

hi def link harnConditional  Conditional
hi def link harnRepeat       Repeat
hi def link harnStatement    Statement
hi def link harnException    Exception
hi def link harnConcurrency  Keyword
hi def link harnInclude      Include
hi def link harnOperatorWord Operator
hi def link harnStorage      StorageClass
hi def link harnStructure    Structure
hi def link harnFnKeyword    Keyword
hi def link harnModifier     StorageClass
hi def link harnContextual   Keyword
hi def link harnBoolean      Boolean
hi def link harnNil          Constant
hi def link harnSelf         Identifier
hi def link harnFuncName     Function
hi def link harnTypeName     Type
hi def link harnFuncCall     Function
hi def link harnType         Type
hi def link harnBuiltinType  Type
hi def link harnMember       Identifier
hi def link harnAttribute    PreProc
hi def link harnNumber       Number
hi def link harnFloat        Float
hi def link harnDuration     Number
hi def link harnEscape       SpecialChar
hi def link harnInterpDelim  Delimiter
hi def link harnString       String
hi def link harnRawString    String
hi def link harnMultiString  String
hi def link harnTodo         Todo
hi def link harnBlockComment Comment
hi def link harnDocBlock     SpecialComment
hi def link harnLineComment  Comment
hi def link harnDocComment   SpecialComment
hi def link harnShebang      PreProc

let b:current_syntax = "harn"

let &cpo = s:cpo_save
unlet s:cpo_save
