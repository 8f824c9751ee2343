// The board page: a static shell (toolbar, empty board, one nonce'd style and script) whose script
// builds the columns and cards from the models the panel posts, once, then updates them by key: a
// card's element is made once and only refilled when its data changed, moved only when its column or
// place changed. Every document text reaches the DOM through textContent (never markup); the shell's
// own texts go through the dashboard's `esc`; the CSP is the dashboard's (nothing remote, nonce only).
// Colours are VS Code theme variables only. Pure (no vscode).
import { contentSecurityPolicy, esc, type RenderOptions } from '../dashboard/render';

function styles(): string {
  return [
    'body{color:var(--vscode-foreground);background:var(--vscode-editor-background);font-family:var(--vscode-font-family);font-size:var(--vscode-font-size);padding:0 12px 12px;margin:0}',
    'h1{font-size:1.25em;margin:10px 0 6px}',
    '.muted{color:var(--vscode-descriptionForeground)}',
    '.toolbar{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center;margin-bottom:8px}',
    '.toolbar label{display:flex;gap:4px;align-items:center}',
    'select,input[type=search]{color:var(--vscode-input-foreground);background:var(--vscode-input-background);border:1px solid var(--vscode-input-border,transparent);padding:2px 4px;font:inherit}',
    'input[type=search]{min-width:14em}',
    'select:focus,input:focus,button:focus-visible,.card:focus-visible,[role=menuitem]:focus{outline:1px solid var(--vscode-focusBorder);outline-offset:-1px}',
    '#notice{display:flex;gap:8px;align-items:flex-start;padding:6px 8px;margin-bottom:8px;border:1px solid var(--vscode-inputValidation-errorBorder,var(--vscode-errorForeground));background:var(--vscode-inputValidation-errorBackground,transparent)}',
    '#notice[hidden]{display:none}#notice .text{flex:1;white-space:pre-wrap}',
    'button{font:inherit;color:var(--vscode-button-secondaryForeground,var(--vscode-foreground));background:var(--vscode-button-secondaryBackground,transparent);border:1px solid var(--vscode-button-border,transparent);border-radius:2px;cursor:pointer;padding:0 6px}',
    '#board{display:flex;gap:10px;align-items:flex-start;overflow-x:auto;padding-bottom:6px}',
    '.col{flex:0 0 260px;display:flex;flex-direction:column;max-height:calc(100vh - 110px);border:1px solid var(--vscode-panel-border,var(--vscode-contrastBorder,transparent));border-radius:4px;background:var(--vscode-sideBar-background,transparent)}',
    '.col>header{display:flex;justify-content:space-between;gap:6px;padding:6px 8px;font-weight:600;border-bottom:1px solid var(--vscode-panel-border,transparent)}',
    '.col.extra>header .name{font-style:italic}',
    '.col .list{overflow-y:auto;padding:6px;display:flex;flex-direction:column;gap:6px;min-height:40px}',
    '.col.over{outline:2px dashed var(--vscode-focusBorder);outline-offset:-2px}',
    '.col.collapsed{flex-basis:150px}.col.collapsed .list{display:none}',
    '.card{border:1px solid var(--vscode-panel-border,var(--vscode-contrastBorder,transparent));border-radius:3px;padding:5px 7px;background:var(--vscode-editor-background);cursor:grab;content-visibility:auto;contain-intrinsic-size:auto 64px}',
    '.card:hover{background:var(--vscode-list-hoverBackground)}',
    '.card[hidden]{display:none}',
    '.card.dragging{opacity:.5}.card.pending{opacity:.7;border-style:dashed}',
    '.card.refused{border-color:var(--vscode-errorForeground)}',
    '.card .head{display:flex;gap:6px;align-items:center}.card .id{font-family:var(--vscode-editor-font-family);font-size:.9em;color:var(--vscode-textLink-foreground)}',
    '.card .move{margin-left:auto;padding:0 4px;line-height:1.2}',
    '.card .title{margin:3px 0;overflow-wrap:anywhere}',
    '.card .meta{display:flex;flex-wrap:wrap;gap:4px;font-size:.85em;color:var(--vscode-descriptionForeground)}',
    '.card .meta span{border:1px solid var(--vscode-panel-border,currentColor);border-radius:8px;padding:0 6px}',
    '.health{font-size:.9em}.sev-critical,.sev-high{color:var(--vscode-errorForeground)}.sev-medium{color:var(--vscode-editorWarning-foreground)}.sev-low{color:var(--vscode-editorInfo-foreground)}',
    '#menu{position:fixed;z-index:10;display:flex;flex-direction:column;min-width:160px;padding:4px 0;color:var(--vscode-menu-foreground,var(--vscode-foreground));background:var(--vscode-menu-background,var(--vscode-editorWidget-background));border:1px solid var(--vscode-menu-border,var(--vscode-widget-border,transparent));box-shadow:0 2px 8px var(--vscode-widget-shadow,transparent)}',
    '#menu[hidden]{display:none}#menu .label{padding:2px 10px}',
    '#menu [role=menuitem]{text-align:left;border:0;background:transparent;color:inherit;padding:3px 10px;border-radius:0}',
    '#menu [role=menuitem]:hover,#menu [role=menuitem]:focus{background:var(--vscode-menu-selectionBackground,var(--vscode-list-activeSelectionBackground));color:var(--vscode-menu-selectionForeground,inherit)}',
  ].join('\n');
}

/** The page script (plain ES2020, no library). Posts: ready, open, move, setType, refresh. */
export function boardScript(): string {
  return `(function(){
'use strict';
const vscode=acquireVsCodeApi();
const saved=vscode.getState()||{};
const f={epic:saved.epic||'',owner:saved.owner||'',text:saved.text||'',hide:!!saved.hide};
const $=function(id){return document.getElementById(id);};
const board=$('board'),typeSel=$('type'),epicSel=$('epic'),ownerSel=$('owner'),textIn=$('text'),hideIn=$('hide'),notice=$('notice'),menu=$('menu'),summary=$('summary'),title=$('title');
textIn.value=f.text;hideIn.checked=f.hide;
let model=null,colSig='',seq=0,menuFor=null,dragKey=null;
const cols=new Map(),cards=new Map(),pending=new Map();
function el(tag,cls,text){const e=document.createElement(tag);if(cls)e.className=cls;if(text!==undefined&&text!==null)e.textContent=String(text);return e;}
function save(){vscode.setState({slug:model?model.slug:saved.slug,type:model?model.type:saved.type,epic:f.epic,owner:f.owner,text:f.text,hide:f.hide});}
function sigOf(c){return JSON.stringify([c.id,c.title,c.epic,c.owner,c.priority,c.points,c.health]);}
function fill(e,c){
  e.textContent='';
  const head=el('div','head');
  head.appendChild(el('span','id',c.id));
  if(c.health){const h=el('span','health sev-'+c.health.severity,'\\u25CF');h.title=c.health.count+' health finding(s)\\n'+c.health.messages.join('\\n');h.setAttribute('aria-label',c.health.count+' health finding(s)');head.appendChild(h);}
  const mv=el('button','move','\\u22EF');mv.type='button';mv.title='Move to\\u2026';mv.setAttribute('aria-label','Move '+c.id+' to\\u2026');mv.setAttribute('aria-haspopup','menu');mv.tabIndex=-1;
  head.appendChild(mv);e.appendChild(head);
  e.appendChild(el('div','title',c.title));
  const meta=el('div','meta');
  if(c.epic)meta.appendChild(el('span','epic',c.epic));
  if(c.owner)meta.appendChild(el('span','owner',c.owner));
  if(c.priority)meta.appendChild(el('span','prio',c.priority));
  if(c.points!==null&&c.points!==undefined)meta.appendChild(el('span','pts',c.points+' pt'));
  if(meta.firstChild)e.appendChild(meta);
  e.setAttribute('aria-label',c.id+': '+c.title+(c.health?' ('+c.health.count+' health findings)':''));
}
function make(c){const e=el('article','card');e.draggable=true;e.tabIndex=0;e.setAttribute('role','listitem');e.dataset.key=c.key;fill(e,c);return e;}
function options(sel,values,current,all){
  sel.textContent='';sel.appendChild(el('option','',all)).value='';
  for(const v of values){const o=el('option','',v);o.value=v;sel.appendChild(o);}
  sel.value=values.indexOf(current)>=0?current:'';return sel.value;
}
function buildColumns(m){
  board.textContent='';cols.clear();
  for(const c of m.columns){
    const s=el('section','col');s.dataset.col=c.key;
    if(c.terminal)s.classList.add('terminal');
    if(!c.lifecycle&&c.key!=='')s.classList.add('extra');
    const h=el('header');h.appendChild(el('span','name',c.label));const n=el('span','count muted');h.appendChild(n);s.appendChild(h);
    const l=el('div','list');l.setAttribute('role','list');l.setAttribute('aria-label',c.label);s.appendChild(l);
    board.appendChild(s);cols.set(c.key,{el:s,list:l,count:n,col:c});
  }
}
/** The card's place in a column: file-path order, as the model sends them. */
function placeSorted(e,colKey){
  const col=cols.get(colKey);if(!col)return;
  const key=e.dataset.key;let before=null;
  for(let x=col.list.firstElementChild;x;x=x.nextElementSibling){if(x!==e&&x.dataset.key>key){before=x;break;}}
  if(e.parentNode!==col.list||e.nextElementSibling!==before)col.list.insertBefore(e,before);
}
function apply(m){
  const typeChanged=!model||model.type!==m.type||model.slug!==m.slug;
  model=m;
  title.textContent=m.project+': '+m.typeLabel;
  document.title='Board: '+m.project;
  typeSel.textContent='';
  for(const t of m.types){const o=el('option','',t.label+' ('+t.count+')');o.value=t.type;typeSel.appendChild(o);}
  if(!m.types.some(function(t){return t.type===m.type;})){const o=el('option','',m.typeLabel);o.value=m.type;typeSel.appendChild(o);}
  typeSel.value=m.type;
  if(typeChanged){for(const r of cards.values())r.el.remove();cards.clear();pending.clear();}
  const sig=m.type+'\\u0000'+m.columns.map(function(c){return c.key;}).join('\\u0000');
  if(sig!==colSig){buildColumns(m);colSig=sig;}
  const byCol=new Map();for(const k of cols.keys())byCol.set(k,[]);
  const live=new Set();
  for(const c of m.cards){
    live.add(c.key);
    let r=cards.get(c.key);const s=sigOf(c);
    if(!r){r={el:make(c),sig:s,card:c};cards.set(c.key,r);}
    else if(r.sig!==s){fill(r.el,c);r.sig=s;}
    r.card=c;
    const p=pending.get(c.key);
    const list=byCol.get(p?p.to:c.status)||byCol.get(c.status);
    if(list)list.push(r.el);
  }
  for(const [k,r] of cards)if(!live.has(k)){r.el.remove();cards.delete(k);pending.delete(k);}
  for(const [k,list] of byCol){
    const l=cols.get(k).list;let cur=l.firstElementChild;
    for(const e of list){if(cur===e)cur=cur.nextElementSibling;else l.insertBefore(e,cur);}
  }
  const epics=[],owners=[];const se=new Set(),so=new Set();
  for(const c of m.cards){if(c.epic&&!se.has(c.epic)){se.add(c.epic);epics.push(c.epic);}if(c.owner&&!so.has(c.owner)){so.add(c.owner);owners.push(c.owner);}}
  epics.sort();owners.sort();
  f.epic=options(epicSel,epics,f.epic,'All epics');f.owner=options(ownerSel,owners,f.owner,'All owners');
  filter();save();
}
function filter(){
  if(!model)return;
  const t=f.text.trim().toLowerCase();
  const shown=new Map();let total=0;
  for(const r of cards.values()){
    const c=r.card;
    const ok=(!f.epic||c.epic===f.epic)&&(!f.owner||c.owner===f.owner)&&(!t||c.id.toLowerCase().indexOf(t)>=0||c.title.toLowerCase().indexOf(t)>=0);
    if(r.el.hidden===ok)r.el.hidden=!ok;
    if(ok){const k=r.el.parentNode&&r.el.parentNode.parentNode?r.el.parentNode.parentNode.dataset.col:'';shown.set(k,(shown.get(k)||0)+1);total++;}
  }
  for(const [k,col] of cols){
    col.count.textContent=String(shown.get(k)||0);
    col.el.classList.toggle('collapsed',f.hide&&col.col.terminal);
  }
  summary.textContent=total+' of '+model.cards.length+' card(s)';
}
function showNotice(text){notice.querySelector('.text').textContent=text;notice.hidden=false;}
function cardOf(t){return t&&t.closest?t.closest('.card'):null;}
function colOf(t){return t&&t.closest?t.closest('.col'):null;}
function move(key,to){
  const r=cards.get(key);if(!r||to===''||!cols.has(to))return;
  const p=pending.get(key);const at=p?p.to:r.card.status;
  if(to===at)return;
  const s=++seq;pending.set(key,{to:to,seq:s});
  r.el.classList.remove('refused');r.el.classList.add('pending');
  placeSorted(r.el,to);filter();
  vscode.postMessage({type:'move',key:key,to:to,seq:s});
}
function moved(m){
  const p=pending.get(m.key);const r=cards.get(m.key);
  if(!p||p.seq!==m.seq||!r)return;
  pending.delete(m.key);r.el.classList.remove('pending');
  if(m.ok&&!m.buffer)r.card.status=p.to;
  placeSorted(r.el,r.card.status);
  if(!m.ok){r.el.classList.add('refused');showNotice(m.reason||'The move was refused.');}
  filter();
}
function openMenu(card){
  const r=cards.get(card.dataset.key);if(!r||!model)return;
  menu.textContent='';menu.appendChild(el('div','label muted','Move '+r.card.id+' to\\u2026'));
  const at=pending.has(r.card.key)?pending.get(r.card.key).to:r.card.status;
  for(const c of model.columns){if(c.key===''||c.key===at)continue;const b=el('button','',c.label);b.type='button';b.setAttribute('role','menuitem');b.dataset.to=c.key;b.tabIndex=-1;menu.appendChild(b);}
  const box=card.getBoundingClientRect();
  menu.style.left=Math.max(0,Math.min(box.left+20,window.innerWidth-180))+'px';menu.style.top=Math.max(0,Math.min(box.top+24,window.innerHeight-menu.childElementCount*26-10))+'px';
  menu.hidden=false;menuFor=card;
  const first=menu.querySelector('[role=menuitem]');if(first)first.focus();
}
function closeMenu(refocus){menu.hidden=true;const c=menuFor;menuFor=null;if(refocus&&c&&c.isConnected)c.focus();}
menu.addEventListener('click',function(e){const b=e.target.closest('[role=menuitem]');if(!b||!menuFor)return;const key=menuFor.dataset.key;closeMenu(true);move(key,b.dataset.to);});
menu.addEventListener('keydown',function(e){
  const items=[].slice.call(menu.querySelectorAll('[role=menuitem]'));const i=items.indexOf(document.activeElement);
  if(e.key==='ArrowDown'){e.preventDefault();if(items.length)items[(i+1)%items.length].focus();}
  else if(e.key==='ArrowUp'){e.preventDefault();if(items.length)items[(i-1+items.length)%items.length].focus();}
  else if(e.key==='Escape'||e.key==='Tab'){e.preventDefault();closeMenu(true);}
});
document.addEventListener('mousedown',function(e){if(!menu.hidden&&!menu.contains(e.target))closeMenu(false);});
board.addEventListener('click',function(e){
  const c=cardOf(e.target);if(!c)return;
  if(e.target.closest('.move')){openMenu(c);return;}
  vscode.postMessage({type:'open',key:c.dataset.key});
});
board.addEventListener('keydown',function(e){
  const c=cardOf(e.target);if(!c||e.target!==c)return;
  if(e.key==='Enter'){e.preventDefault();vscode.postMessage({type:'open',key:c.dataset.key});}
  else if(e.key===' '||e.key==='m'||e.key==='ContextMenu'||(e.key==='F10'&&e.shiftKey)){e.preventDefault();openMenu(c);}
});
board.addEventListener('dragstart',function(e){const c=cardOf(e.target);if(!c)return;dragKey=c.dataset.key;e.dataTransfer.setData('text/plain',dragKey);e.dataTransfer.effectAllowed='move';c.classList.add('dragging');});
board.addEventListener('dragend',function(e){const c=cardOf(e.target);if(c)c.classList.remove('dragging');dragKey=null;for(const col of cols.values())col.el.classList.remove('over');});
board.addEventListener('dragover',function(e){const col=colOf(e.target);if(!col||col.dataset.col==='')return;e.preventDefault();e.dataTransfer.dropEffect='move';if(!col.classList.contains('over')){for(const x of cols.values())x.el.classList.remove('over');col.classList.add('over');}});
board.addEventListener('drop',function(e){const col=colOf(e.target);if(!col)return;e.preventDefault();col.classList.remove('over');const key=e.dataTransfer.getData('text/plain')||dragKey;dragKey=null;if(key)move(key,col.dataset.col);});
typeSel.addEventListener('change',function(){vscode.postMessage({type:'setType',docType:typeSel.value});});
epicSel.addEventListener('change',function(){f.epic=epicSel.value;filter();save();});
ownerSel.addEventListener('change',function(){f.owner=ownerSel.value;filter();save();});
textIn.addEventListener('input',function(){f.text=textIn.value;filter();save();});
hideIn.addEventListener('change',function(){f.hide=hideIn.checked;filter();save();});
notice.querySelector('button').addEventListener('click',function(){notice.hidden=true;});
$('refresh').addEventListener('click',function(){vscode.postMessage({type:'refresh'});});
window.addEventListener('message',function(e){
  const m=e.data;if(!m||typeof m!=='object')return;
  if(m.type==='model'&&m.model)apply(m.model);
  else if(m.type==='moved')moved(m);
  else if(m.type==='error')showNotice(String(m.message||''));
});
vscode.postMessage({type:'ready'});
})();`;
}

/** The whole page: the shell the script fills. `title` is the tab's title (escaped). */
export function renderBoard(pageTitle: string, o: RenderOptions): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(pageTitle)}</title>
<style nonce="${esc(o.nonce)}">${styles()}</style></head>
<body>
<h1 id="title">${esc(pageTitle)}</h1>
<div class="toolbar" role="toolbar" aria-label="Board filters">
<label>Type <select id="type" aria-label="Document type"></select></label>
<label>Epic <select id="epic" aria-label="Filter by epic"></select></label>
<label>Owner <select id="owner" aria-label="Filter by owner"></select></label>
<input id="text" type="search" placeholder="Filter by id or title" aria-label="Filter by id or title">
<label><input id="hide" type="checkbox"> Hide finished</label>
<button id="refresh" type="button" title="Refresh">Refresh</button>
<span id="summary" class="muted" aria-live="polite"></span>
</div>
<div id="notice" role="alert" hidden><span class="text"></span><button type="button" aria-label="Dismiss">×</button></div>
<main id="board" aria-label="Board columns"></main>
<div id="menu" role="menu" aria-label="Move to" hidden></div>
<script nonce="${esc(o.nonce)}">${boardScript()}</script>
</body></html>`;
}
