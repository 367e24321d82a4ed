// The subset of mvdan-sh (GopherJS build of mvdan.cc/sh/v3/syntax) that dockmig uses.
declare module 'mvdan-sh' {
  export interface Pos {
    Offset(): number;
    Line(): number;
    Col(): number;
  }
  export interface Node {
    Pos(): Pos;
    End(): Pos;
    [field: string]: any;
  }
  export interface Parser {
    Parse(src: string, name: string): Node;
  }
  export interface Syntax {
    NewParser(...options: unknown[]): Parser;
    KeepComments(on: boolean): unknown;
    Variant(lang: unknown): unknown;
    LangBash: unknown;
    LangPOSIX: unknown;
    NodeType(node: Node): string;
    Walk(node: Node, visit: (node: Node | null) => boolean): void;
    DebugPrint(node: Node): void;
  }
  const sh: { syntax: Syntax };
  export default sh;
}
