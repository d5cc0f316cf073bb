// Fanout's web page: recent trees, and one tree drawn live from the query API (docs/web.md).
// Plain browser JavaScript, no build step and nothing fetched from elsewhere. Every list of children is
// read page by page with the API's cursor, so a fan-out of 100,000 runs never puts more than the pages
// asked for into the page.
(function () {
  'use strict';

  var PAGE = 50;              // children per "Load more"
  var MAX_PAGE = 1000;        // the API's largest page
  var TREE_POLL_MS = 1000;    // while a tree runs
  var LIST_POLL_MS = 2000;    // the recent trees
  var RETRY_MS = 2000;        // after an unavailable (503) or unreachable API
  var GRAPH_POLL_MS = 2000;   // the picture reads its whole fan-out, so it is read again less often
  var TOKEN_KEY = 'fanout.api-token';
  var GROUP_STATUSES = ['FAILED', 'TIMED_OUT', 'RUNNING', 'TRIGGERED', 'QUEUED', 'QUOTA_WAIT', 'PLANNED', 'WAITING',
    'SUCCEEDED', 'SKIPPED'];              // a group is drawn in the colour of the first of these it has a child in
  var SVG = 'http://www.w3.org/2000/svg';
  var COUNT_NAMES = [
    ['succeeded', 'succeeded'], ['failed', 'failed'], ['timed_out', 'timed out'], ['skipped', 'skipped']
  ];

  var main = document.getElementById('main');
  var connection = document.getElementById('connection');
  var view = null;            // the current view; dispose() stops its timers

  // ---- small helpers -------------------------------------------------------------------------------

  /** Creates an element: h('a', {href: '#/'}, 'text', child, ...). Text is always set as text, never HTML. */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === null || value === undefined || value === false) {
          return;
        }
        if (name === 'class') {
          el.className = value;
        } else if (name === 'text') {
          el.textContent = value;
        } else if (name.indexOf('on') === 0) {
          el.addEventListener(name.substring(2), value);
        } else {
          el.setAttribute(name, value === true ? '' : String(value));
        }
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) {
        continue;
      }
      el.appendChild(typeof child === 'string' || typeof child === 'number'
        ? document.createTextNode(String(child)) : child);
    }
    return el;
  }

  function clear(el) {
    while (el.firstChild) {
      el.removeChild(el.firstChild);
    }
  }

  function formatDuration(ms) {
    if (ms === null || ms === undefined) {
      return '–';
    }
    if (ms < 1000) {
      return ms + ' ms';
    }
    if (ms < 60000) {
      return (ms / 1000).toFixed(1) + ' s';
    }
    var s = Math.floor(ms / 1000);
    if (s < 3600) {
      return Math.floor(s / 60) + ' min ' + pad(s % 60) + ' s';
    }
    return Math.floor(s / 3600) + ' h ' + pad(Math.floor((s % 3600) / 60)) + ' min';
  }

  function pad(n) {
    return n < 10 ? '0' + n : String(n);
  }

  function formatNumber(n) {
    return Number(n || 0).toLocaleString('en-US');
  }

  /** A run's last progress: its message, with details, time and attempt in the tooltip. */
  function progressNote(p) {
    var title = 'last progress of attempt ' + p.attempt + ', ' + new Date(p.at).toLocaleString();
    if (p.details !== null && p.details !== undefined) {
      title += '\n' + JSON.stringify(p.details);
    }
    return h('span', {class: 'progress-note', title: title}, p.message);
  }

  function time(iso) {
    if (!iso) {
      return h('span', {text: '–'});
    }
    var d = new Date(iso);
    return h('time', {datetime: iso, title: iso}, isNaN(d.getTime()) ? iso : d.toLocaleString());
  }

  function done(counts) {
    return (counts.succeeded || 0) + (counts.failed || 0) + (counts.timed_out || 0) + (counts.skipped || 0);
  }

  function badge(status) {
    return h('span', {class: 'badge status-' + status}, status.replace('_', ' '));
  }

  /** "after all of app-a/build succeeded", from a depends_on. */
  function dependsOnText(d) {
    if (!d) {
      return '';
    }
    var condition = {SUCCEEDED: 'succeeded', FAILED: 'failed', DONE: 'ended'}[d.condition] || d.condition;
    return 'after ' + (d.mode === 'ANY' ? 'any' : 'all') + ' of ' + d.subscriptions.join(', ') + ' ' + condition;
  }

  /** A bar with one segment per terminal state; the rest of the width is what is still to do. */
  function progressBar(counts, label) {
    var total = counts.total || 0;
    var finished = done(counts);
    var bar = h('div', {
      class: 'progress', role: 'progressbar', 'aria-label': label,
      'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': Math.min(finished, total),
      'aria-valuetext': formatNumber(finished) + ' of ' + formatNumber(total) + ' runs done'
    });
    COUNT_NAMES.forEach(function (pair) {
      var n = counts[pair[0]] || 0;
      if (total > 0 && n > 0) {
        bar.appendChild(h('span', {
          class: 'segment segment-' + pair[0], style: 'width:' + (100 * n / total) + '%',
          title: formatNumber(n) + ' ' + pair[1]
        }));
      }
    });
    return bar;
  }

  // ---- the API -------------------------------------------------------------------------------------

  function ApiError(status, body, path) {
    this.status = status;
    this.error = body && body.error;
    this.message = (body && body.message) || ('HTTP ' + status + ' for ' + path);
    this.retryAfter = 0;
  }

  /** GET a JSON body; rejects with an ApiError (status 0 when the API cannot be reached). */
  function api(path) {
    return fetch(path, {headers: {Accept: 'application/json'}, cache: 'no-store'}).then(function (response) {
      return response.text().then(function (text) {
        var body = null;
        try {
          body = text ? JSON.parse(text) : null;
        } catch (e) {
          body = null;
        }
        if (!response.ok) {
          var err = new ApiError(response.status, body, path);
          err.retryAfter = Number(response.headers.get('Retry-After')) || 0;
          throw err;
        }
        showConnection(null);
        return body;
      });
    }, function () {
      throw new ApiError(0, {error: 'unreachable', message: 'The Fanout API does not answer; is Fanout running?'}, path);
    });
  }

  function showConnection(message) {
    connection.textContent = message || '';
    connection.hidden = !message;
  }

  /** Whether an error is worth retrying (API restarting or rebalancing) rather than showing as final. */
  function transient(err) {
    return err instanceof ApiError && (err.status === 0 || err.status === 503);
  }

  function retryDelay(err) {
    return Math.max(RETRY_MS, (err.retryAfter || 0) * 1000);
  }

  function treePath(id) {
    return '/api/trees/' + encodeURIComponent(id);
  }

  function treeHref(id) {
    return '#/trees/' + encodeURIComponent(id);
  }

  // ---- recent trees --------------------------------------------------------------------------------

  function TreeListView() {
    var self = this;
    this.timer = null;
    this.disposed = false;
    this.status = 'all';
    var select = h('select', {id: 'status-filter', onchange: function () {
      self.status = select.value;
      self.refresh();
    }},
      h('option', {value: 'all'}, 'All'), h('option', {value: 'running'}, 'Running'), h('option', {value: 'done'}, 'Done'));
    this.rows = h('tbody', {id: 'tree-rows'});
    this.empty = h('p', {class: 'empty', id: 'no-trees', hidden: true},
      'No trees yet. Emit an artifact event (', h('code', null, './fanout emit ...'), ') and it shows here.');
    this.problem = h('p', {class: 'problem', role: 'alert', hidden: true});
    clear(main);
    main.appendChild(h('section', {'aria-labelledby': 'trees-title'},
      h('div', {class: 'title-row'},
        h('h1', {id: 'trees-title'}, 'Recent trees'),
        h('form', {class: 'filters', onsubmit: function (e) { e.preventDefault(); }},
          h('label', {for: 'status-filter'}, 'Show'), select)),
      this.problem,
      h('table', {class: 'trees'},
        h('caption', {class: 'visually-hidden'}, 'Recent execution trees, newest first'),
        h('thead', null, h('tr', null,
          h('th', {scope: 'col'}, 'Tree'), h('th', {scope: 'col'}, 'Artifact'), h('th', {scope: 'col'}, 'Status'),
          h('th', {scope: 'col', class: 'wide'}, 'Progress'), h('th', {scope: 'col', class: 'num'}, 'Runs'),
          h('th', {scope: 'col'}, 'Started'), h('th', {scope: 'col', class: 'num'}, 'Duration'))),
        this.rows),
      this.empty));
    document.title = 'Trees · Fanout';
    this.refresh();
  }

  TreeListView.prototype.refresh = function () {
    var self = this;
    clearTimeout(this.timer);
    var status = this.status;
    api('/api/trees?status=' + status + '&limit=50').then(function (body) {
      if (self.disposed || status !== self.status) {
        return;
      }
      self.problem.hidden = true;
      self.render(body.trees || []);
      self.schedule(LIST_POLL_MS);
    }, function (err) {
      if (self.disposed) {
        return;
      }
      self.problem.textContent = err.message;
      self.problem.hidden = false;
      if (err.status === 0) {
        showConnection('Reconnecting to the Fanout API…');
      }
      self.schedule(retryDelay(err));
    });
  };

  TreeListView.prototype.schedule = function (ms) {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.refresh(); }, ms);
  };

  TreeListView.prototype.render = function (trees) {
    clear(this.rows);
    this.empty.hidden = trees.length > 0;
    var rows = this.rows;
    trees.forEach(function (t) {
      var counts = t.counts || {};
      rows.appendChild(h('tr', {class: 'tree-row', 'data-tree-id': t.tree_id},
        h('th', {scope: 'row'}, h('a', {href: treeHref(t.tree_id)}, t.tree_id)),
        h('td', null, t.artifact),
        h('td', null, badge(t.status)),
        h('td', {class: 'wide'}, progressBar(counts, 'Progress of ' + t.tree_id)),
        h('td', {class: 'num'}, formatNumber(done(counts)) + ' / ' + formatNumber(counts.total)),
        h('td', null, time(t.started_at)),
        h('td', {class: 'num'}, formatDuration(t.duration_ms))));
    });
  };

  TreeListView.prototype.dispose = function () {
    this.disposed = true;
    clearTimeout(this.timer);
  };

  // ---- one tree ------------------------------------------------------------------------------------

  /**
   * The children of one parent (a run id, or null for the root fan-out), page by page. refresh() reads
   * again the pages already shown, so their statuses follow the tree, and updates rows in place.
   */
  function ChildList(tree, parent, label) {
    this.tree = tree;
    this.parent = parent;
    this.rows = {};           // run id -> Row
    this.count = 0;
    this.nextCursor = null;
    this.loaded = false;
    this.busy = false;
    this.list = h('ul', {class: 'nodes', 'aria-label': label});
    var self = this;
    this.more = h('button', {type: 'button', class: 'load-more', hidden: true, onclick: function () { self.loadMore(); }},
      'Load more');
    this.shown = h('p', {class: 'shown', 'aria-live': 'polite'});
    this.draw = h('button', {type: 'button', class: 'show-picture', hidden: true, onclick: function () {
      self.showPicture();
    }}, 'Show as a picture');
    this.el = h('div', {class: 'child-list'}, this.list, h('div', {class: 'more-row'}, this.more, this.shown, this.draw));
  }

  ChildList.prototype.path = function (cursor, limit) {
    var q = '?limit=' + limit;
    if (this.parent !== null) {
      q += '&parent=' + encodeURIComponent(this.parent);
    }
    if (cursor) {
      q += '&cursor=' + encodeURIComponent(cursor);
    }
    return treePath(this.tree.id) + '/nodes' + q;
  };

  ChildList.prototype.loadMore = function () {
    var self = this;
    if (this.busy || (this.loaded && !this.nextCursor)) {
      return Promise.resolve();
    }
    this.busy = true;
    this.more.disabled = true;
    return api(this.path(this.nextCursor, PAGE)).then(function (page) {
      self.loaded = true;
      self.apply(page.nodes || [], page.next_cursor);
    }).catch(function (err) {
      self.tree.report(err);
    }).then(function () {
      self.busy = false;
      self.more.disabled = false;
      self.updateMore();
    });
  };

  /** Reads again what is shown (at most MAX_PAGE a request) and updates the rows in place. */
  ChildList.prototype.refresh = function () {
    var self = this;
    if (!this.loaded || this.busy) {
      return Promise.resolve();
    }
    this.busy = true;
    var wanted = Math.max(this.count, 1);
    var seen = 0;
    var collected = [];
    function next(cursor) {
      return api(self.path(cursor, Math.min(MAX_PAGE, wanted - seen))).then(function (page) {
        var nodes = page.nodes || [];
        seen += nodes.length;
        collected.push.apply(collected, nodes);
        if (seen < wanted && page.next_cursor && nodes.length > 0) {
          return next(page.next_cursor);
        }
        return page.next_cursor;
      });
    }
    return next(null).then(function (cursor) {
      self.apply(collected, cursor);
    }).catch(function (err) {
      self.tree.report(err);
    }).then(function () {
      self.busy = false;
      self.updateMore();
      return Promise.all(self.expanded().map(function (row) { return row.children.refresh(); }));
    });
  };

  ChildList.prototype.apply = function (nodes, cursor) {
    var self = this;
    nodes.forEach(function (node) {
      var row = self.rows[node.run_id];
      if (row) {
        row.update(node);
      } else {
        row = new Row(self.tree, node);
        self.rows[node.run_id] = row;
        self.list.appendChild(row.el);
        self.count++;
      }
    });
    this.nextCursor = cursor || null;
    if (this.loaded && this.count === 0) {
      this.shown.textContent = 'No runs.';
    }
  };

  /** Draws the fan-out these runs belong to (the first one's, when the parent emitted several). */
  ChildList.prototype.showPicture = function () {
    var first = this.list.querySelector('li.node');
    var row = first && this.rows[first.getAttribute('data-run-id')];
    if (row) {
      this.tree.picture.show(row.node.fan_out_id);
      this.tree.picture.el.scrollIntoView({block: 'start'});
    }
  };

  ChildList.prototype.updateMore = function () {
    this.more.hidden = !this.nextCursor;
    this.draw.hidden = this.parent === null || this.count === 0;
    if (this.count > 0) {
      this.shown.textContent = formatNumber(this.count) + ' shown' + (this.nextCursor ? ', more to load' : '');
    }
  };

  ChildList.prototype.expanded = function () {
    var rows = this.rows;
    return Object.keys(rows).map(function (k) { return rows[k]; })
      .filter(function (row) { return row.children && row.open; });
  };

  /** One run: a line with its status and, when it emitted fan-outs, a button that shows their runs. */
  function Row(tree, node) {
    this.tree = tree;
    this.node = node;
    this.open = false;
    this.children = null;
    this.el = h('li', {class: 'node', 'data-run-id': node.run_id});
    this.line = h('div', {class: 'node-line'});
    this.el.appendChild(this.line);
    this.render();
  }

  Row.prototype.update = function (node) {
    this.node = node;
    this.render();
  };

  Row.prototype.name = function () {
    return this.node.repo + '/' + this.node.workflow;
  };

  Row.prototype.render = function () {
    var n = this.node;
    var self = this;
    var hadFocus = document.activeElement && this.line.contains(document.activeElement);
    clear(this.line);
    this.el.className = 'node status-' + n.status;
    if (n.children) {
      var id = 'children-' + n.run_id;
      this.toggle = h('button', {
        type: 'button', class: 'toggle', 'aria-expanded': this.open ? 'true' : 'false', 'aria-controls': id,
        onclick: function () { self.setOpen(!self.open); }
      }, h('span', {'aria-hidden': 'true', class: 'chevron'}, this.open ? '▾' : '▸'),
        h('span', {class: 'visually-hidden'}, (this.open ? 'Hide' : 'Show') + ' the runs of ' + this.name()));
      this.line.appendChild(this.toggle);
    } else {
      this.line.appendChild(h('span', {class: 'toggle-spacer', 'aria-hidden': 'true'}));
    }
    this.line.appendChild(badge(n.status));
    this.line.appendChild(h('span', {class: 'name', title: n.subscription_id}, this.name()));
    if (n.item_index !== null && n.item_index !== undefined) {
      this.line.appendChild(h('span', {class: 'item', title: 'item index'}, '#' + n.item_index));
    }
    if (n.attempt > 1) {
      this.line.appendChild(h('span', {class: 'attempt'}, 'attempt ' + n.attempt));
    }
    this.line.appendChild(h('span', {class: 'duration', title: 'duration'}, formatDuration(n.duration_ms)));
    if (n.children) {
      var c = n.children;
      this.line.appendChild(h('span', {class: 'children-summary'},
        progressBar(c.counts || {total: c.total}, 'Runs below ' + this.name()),
        h('span', {class: 'children-count'}, formatNumber(c.done) + '/' + formatNumber(c.total) + ' below'
          + (c.fan_outs > 1 ? ' in ' + c.fan_outs + ' fan-outs' : ''))));
    }
    if (n.waiting_for && n.waiting_for.length) {
      this.line.appendChild(h('span', {class: 'waiting-for', title: n.quota ? quotaText(n.quota) : dependsOnText(n.depends_on)},
        'waiting for ' + n.waiting_for.join(', ') + quotaAhead(n.quota)));
    }
    if (n.reason) {
      this.line.appendChild(h('span', {class: 'reason', title: 'why'}, n.reason));
    }
    if (n.error) {
      this.line.appendChild(h('span', {class: 'error', title: n.error}, n.error));
    }
    if (n.progress) {
      this.line.appendChild(progressNote(n.progress));
    }
    this.line.appendChild(h('code', {class: 'run-id'}, n.run_id));
    this.renderCompensation();
    if (hadFocus && this.toggle) {
      this.toggle.focus();
    }
  };

  /** How many runs of its repository will be granted before a run in QUOTA_WAIT, or nothing if unknown. */
  function quotaAhead(q) {
    if (!q || q.ahead === null || q.ahead === undefined) {
      return '';
    }
    return ' (' + formatNumber(q.ahead) + ' ahead)';
  }

  /** The repository's quota as a run in QUOTA_WAIT sees it, for the tooltip. */
  function quotaText(q) {
    if (q.in_flight === null || q.in_flight === undefined) {
      return 'max_in_flight of ' + q.repo + ': not readable right now';
    }
    return q.repo + ': ' + formatNumber(q.in_flight) + ' in flight'
      + (q.max_in_flight === null ? '' : ' of ' + formatNumber(q.max_in_flight)) + ', ' + formatNumber(q.waiting) + ' waiting';
  }

  /** The run that undoes this one, on its own line just below it. */
  Row.prototype.renderCompensation = function () {
    var c = this.node.compensation;
    if (!c) {
      if (this.compensation) {
        this.el.removeChild(this.compensation);
        this.compensation = null;
      }
      return;
    }
    var line = h('div', {class: 'compensation', 'data-run-id': c.run_id},
      h('span', {class: 'toggle-spacer', 'aria-hidden': 'true'}),
      h('span', {class: 'compensation-label'}, '↺ undone by'),
      c.status ? badge(c.status) : null,
      h('span', {class: 'name'}, this.node.repo + '/' + (c.workflow || this.node.compensate_workflow)),
      c.attempt > 1 ? h('span', {class: 'attempt'}, 'attempt ' + c.attempt) : null,
      c.error ? h('span', {class: 'error', title: c.error}, c.error) : null,
      h('code', {class: 'run-id'}, c.run_id));
    if (this.compensation) {
      this.el.replaceChild(line, this.compensation);
    } else {
      this.el.insertBefore(line, this.line.nextSibling);
    }
    this.compensation = line;
  };

  Row.prototype.setOpen = function (open) {
    this.open = open;
    if (open && !this.children) {
      this.children = new ChildList(this.tree, this.node.run_id, 'Runs below ' + this.name());
      this.children.el.id = 'children-' + this.node.run_id;
      this.el.appendChild(this.children.el);
    }
    if (this.children) {
      this.children.el.hidden = !open;
    }
    this.render();
    if (open) {
      if (this.children.loaded) {
        this.children.refresh();
      } else {
        this.children.loadMore();
      }
    }
  };


  // ---- the picture of a fan-out ---------------------------------------------------------------------

  var BOX_W = 236, BOX_H = 84, COL_GAP = 96, ROW_GAP = 24, PAD = 14;

  /** Creates an SVG element: svg('rect', {x: 1}, child, ...). Text is set as text. */
  function svg(tag, attrs) {
    var el = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (attrs[name] !== null && attrs[name] !== undefined) {
        if (name === 'text') {
          el.textContent = attrs[name];
        } else {
          el.setAttribute(name, String(attrs[name]));
        }
      }
    });
    for (var i = 2; i < arguments.length; i++) {
      if (arguments[i]) {
        el.appendChild(arguments[i]);
      }
    }
    return el;
  }

  /** The status a group is drawn with: the first of GROUP_STATUSES any of its children is in. */
  function groupStatus(group) {
    for (var i = 0; i < GROUP_STATUSES.length; i++) {
      if (group.statuses[GROUP_STATUSES[i]] > 0) {
        return GROUP_STATUSES[i];
      }
    }
    return 'PLANNED';
  }

  function shorten(text, max) {
    return text.length > max ? text.substring(0, max - 1) + '…' : text;
  }

  /** "2 succeeded · 1 running", the statuses a group's children are in. */
  function statusesText(group) {
    var parts = [];
    GROUP_STATUSES.forEach(function (status) {
      var n = group.statuses[status] || 0;
      if (n > 0) {
        parts.push(formatNumber(n) + ' ' + status.toLowerCase().replace('_', ' '));
      }
    });
    return parts.join(' · ') || 'no runs';
  }

  /**
   * The fan-out as Argo draws a DAG, left to right: a box per subscription (a foreach is one box over
   * all its items) in the column of its level, and an arrow from each dependency to what waits for it.
   */
  function drawGraph(graph) {
    var columns = [];
    graph.groups.forEach(function (g) {
      (columns[g.level] = columns[g.level] || []).push(g);
    });
    var at = {};
    var rows = 1;
    for (var level = 0; level < columns.length; level++) {
      (columns[level] || []).forEach(function (g, row) {
        at[g.subscription_id] = {x: PAD + level * (BOX_W + COL_GAP), y: PAD + row * (BOX_H + ROW_GAP)};
      });
      rows = Math.max(rows, (columns[level] || []).length);
    }
    var width = 2 * PAD + Math.max(1, columns.length) * (BOX_W + COL_GAP) - COL_GAP;
    var height = 2 * PAD + rows * (BOX_H + ROW_GAP) - ROW_GAP;
    var root = svg('svg', {
      class: 'graph', width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img',
      'aria-label': 'Fan-out ' + graph.fan_out.fan_out_id + ': ' + graph.groups.length + ' subscriptions, '
        + graph.edges.length + ' dependencies'
    }, svg('defs', null, svg('marker', {
      id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto'
    }, svg('path', {d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head'}))));
    graph.edges.forEach(function (e) {
      var a = at[e.from];
      var b = at[e.to];
      var x1 = a.x + BOX_W;
      var y1 = a.y + BOX_H / 2;
      var x2 = b.x;
      var y2 = b.y + BOX_H / 2;
      var bend = Math.max(40, Math.abs(x2 - x1) / 2);
      var label = (e.mode === 'ANY' ? 'any ' : '') + (e.condition === 'SUCCEEDED' ? '' : e.condition.toLowerCase());
      root.appendChild(svg('g', {
        class: 'edge edge-' + e.condition + (e.mode === 'ANY' ? ' edge-any' : ''), 'data-from': e.from, 'data-to': e.to
      },
        svg('title', {text: e.to + ' runs after ' + (e.mode === 'ANY' ? 'any' : 'all') + ' of ' + e.from + ' '
          + {SUCCEEDED: 'succeeded', FAILED: 'failed', DONE: 'ended'}[e.condition]}),
        svg('path', {
          d: 'M' + x1 + ',' + y1 + ' C' + (x1 + bend) + ',' + y1 + ' ' + (x2 - bend) + ',' + y2 + ' ' + x2 + ',' + y2,
          'marker-end': 'url(#arrow)'
        }),
        label.trim() ? svg('text', {x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 6, 'text-anchor': 'middle', class: 'edge-label',
          text: label.trim()}) : null));
    });
    graph.groups.forEach(function (g) {
      var p = at[g.subscription_id];
      var status = groupStatus(g);
      var name = g.repo + '/' + g.workflow;
      var count = g.foreach ? formatNumber(g.items) + ' items' : (g.items === 1 ? '1 run' : formatNumber(g.items) + ' runs');
      var box = svg('g', {
        class: 'group status-' + status + (g.in_cycle ? ' in-cycle' : ''), 'data-subscription-id': g.subscription_id,
        'data-status': status, transform: 'translate(' + p.x + ',' + p.y + ')'
      },
        svg('title', {text: g.subscription_id + ' (' + name + '), ' + count + ': ' + statusesText(g)
          + (g.depends_on ? '; ' + dependsOnText(g.depends_on) : '') + (g.in_cycle ? '; on a dependency cycle' : '')
          + (g.compensations ? '; ' + g.compensations + ' undone by ' + g.compensate_workflow : '')}),
        svg('rect', {class: 'group-box', width: BOX_W, height: BOX_H, rx: 8}),
        svg('text', {x: 12, y: 21, class: 'group-name', text: shorten(name, 28)}),
        svg('text', {x: 12, y: 39, class: 'group-count',
          text: count + ' · ' + status.replace('_', ' ') + (g.in_cycle ? ' · cycle' : '')}));
      var x = 12;
      var barWidth = BOX_W - 24;
      GROUP_STATUSES.forEach(function (st) {
        var n = g.statuses[st] || 0;
        if (n > 0 && g.items > 0) {
          var w = barWidth * n / g.items;
          box.appendChild(svg('rect', {x: x, y: 47, width: w, height: 8, class: 'bar bar-' + st}));
          x += w;
        }
      });
      box.appendChild(svg('text', {x: 12, y: 73, class: 'group-statuses',
        text: shorten(statusesText(g) + (g.compensations ? ' · ↺ ' + g.compensations : ''), 36)}));
      root.appendChild(box);
    });
    return root;
  }

  /** The picture of one fan-out of the tree: the root's first, another's when asked. */
  function FanOutPicture(tree) {
    var self = this;
    this.tree = tree;
    this.fanOutId = tree.id;
    this.readAt = 0;
    this.busy = false;
    this.title = h('h2', {id: 'picture-title'}, 'Fan-out');
    this.facts = h('p', {class: 'picture-facts', id: 'picture-facts'});
    this.root = h('button', {type: 'button', class: 'picture-root', hidden: true, onclick: function () {
      self.show(tree.id);
    }}, 'Show the root fan-out');
    this.canvas = h('div', {class: 'picture-canvas'});
    this.el = h('section', {class: 'picture', 'aria-labelledby': 'picture-title', hidden: true},
      h('div', {class: 'title-row'}, this.title, this.root), this.facts, this.canvas);
  }

  FanOutPicture.prototype.show = function (fanOutId) {
    this.fanOutId = fanOutId;
    this.root.hidden = fanOutId === this.tree.id;
    return this.refresh(true);
  };

  /** Reads the fan-out's graph again, at most every GRAPH_POLL_MS unless forced. */
  FanOutPicture.prototype.refresh = function (force) {
    var self = this;
    if (this.busy || (!force && Date.now() - this.readAt < GRAPH_POLL_MS)) {
      return Promise.resolve();
    }
    this.busy = true;
    var id = this.fanOutId;
    return api(treePath(this.tree.id) + '/fan-outs/' + encodeURIComponent(id) + '/graph').then(function (graph) {
      self.readAt = Date.now();
      if (id === self.fanOutId) {
        self.render(graph);
      }
    }).catch(function (err) {
      if (err.status === 404) {
        self.el.hidden = true;     // a tree that matched nothing has no fan-out to draw
      } else {
        self.tree.report(err);
      }
    }).then(function () {
      self.busy = false;
    });
  };

  FanOutPicture.prototype.render = function (graph) {
    var f = graph.fan_out;
    this.el.hidden = false;
    this.title.textContent = (f.parent_run_id ? 'Fan-out ' : 'Root fan-out ') + f.fan_out_id + ' (' + f.artifact + ')';
    var facts = [f.state ? f.state.toLowerCase() : 'unknown', formatNumber(f.done) + ' of ' + formatNumber(f.children) + ' done'];
    if (f.waiting > 0) {
      facts.push(formatNumber(f.waiting) + ' waiting for their dependencies');
    }
    if (f.stop) {
      facts.push('stopped releasing runs: ' + {TIMEOUT: 'timeout', FAIL_FAST: 'fail fast', CANCEL: 'cancelled'}[f.stop]);
    }
    if (f.counts.compensated || f.counts.compensation_failed) {
      facts.push(formatNumber(f.counts.compensated) + ' compensated, ' + formatNumber(f.counts.compensation_failed)
        + ' compensations failed');
    }
    this.facts.textContent = facts.join(' · ');
    var drawn = JSON.stringify([graph.groups, graph.edges]);
    if (drawn !== this.drawn) {      // redrawn only when it changed, so a hovered box keeps its tooltip
      this.drawn = drawn;
      clear(this.canvas);
      this.canvas.appendChild(drawGraph(graph));
    }
  };

  // ---- cancelling a tree ----------------------------------------------------------------------------

  function storedToken() {
    try {
      return sessionStorage.getItem(TOKEN_KEY);
    } catch (e) {
      return null;
    }
  }

  function storeToken(token) {
    try {
      if (token === null) {
        sessionStorage.removeItem(TOKEN_KEY);
      } else {
        sessionStorage.setItem(TOKEN_KEY, token);
      }
    } catch (e) {
      // a browser without session storage asks again next time
    }
  }

  /**
   * The Cancel button of a running tree: asks for the API's token once per browser session (it is kept in
   * sessionStorage), POSTs /api/trees/{id}/cancel with it, and says what the API answered.
   */
  function CancelControl(tree) {
    var self = this;
    this.tree = tree;
    this.requested = false;
    this.button = h('button', {type: 'button', id: 'cancel-tree', class: 'danger', onclick: function () {
      self.open();
    }}, 'Cancel tree…');
    this.token = h('input', {type: 'password', id: 'cancel-token', autocomplete: 'off', size: 30,
      placeholder: 'fanout.http.auth.token'});
    this.tokenRow = h('span', {class: 'token-row'}, h('label', {for: 'cancel-token'}, 'API token'), this.token);
    this.confirm = h('button', {type: 'submit', id: 'cancel-confirm', class: 'danger'}, 'Cancel the tree');
    this.form = h('form', {class: 'cancel-form', hidden: true, onsubmit: function (e) {
      e.preventDefault();
      self.send();
    }}, this.tokenRow, this.confirm, h('button', {type: 'button', id: 'cancel-keep', onclick: function () {
      self.close();
    }}, 'Keep it running'));
    this.result = h('p', {id: 'cancel-result', class: 'cancel-result', role: 'status', 'aria-live': 'polite'});
    this.el = h('div', {class: 'cancel', hidden: true}, this.button, this.form, this.result);
  }

  CancelControl.prototype.update = function (summary) {
    var running = summary.status === 'RUNNING' && !summary.cancelled;
    if (!running) {
      this.form.hidden = true;
    }
    this.button.hidden = !running || !this.form.hidden || this.requested;
    this.el.hidden = !running && !this.result.textContent;
  };

  CancelControl.prototype.open = function () {
    this.form.hidden = false;
    this.button.hidden = true;
    this.tokenRow.hidden = storedToken() !== null;
    (this.tokenRow.hidden ? this.confirm : this.token).focus();
  };

  CancelControl.prototype.close = function () {
    this.form.hidden = true;
    this.button.hidden = this.requested;
    this.button.focus();
  };

  CancelControl.prototype.send = function () {
    var self = this;
    var token = storedToken();
    if (token === null) {
      token = this.token.value.trim();
      storeToken(token);
    }
    var headers = {Accept: 'application/json'};
    if (token) {
      headers.Authorization = 'Bearer ' + token;
    }
    this.confirm.disabled = true;
    this.result.className = 'cancel-result';
    fetch(treePath(this.tree.id) + '/cancel', {method: 'POST', headers: headers, cache: 'no-store'})
      .then(function (response) {
        return response.text().then(function (text) {
          var body = null;
          try {
            body = text ? JSON.parse(text) : null;
          } catch (e) {
            body = null;
          }
          self.answered(response.status, body);
        });
      }, function () {
        self.say('Cancel not sent: the Fanout API does not answer; try again.', true);
      }).then(function () {
        self.confirm.disabled = false;
      });
  };

  CancelControl.prototype.answered = function (status, body) {
    var message = body && body.message ? ' ' + body.message : '';
    if (status === 202) {
      this.requested = true;
      this.form.hidden = true;
      this.say('Cancel requested: runs not started are skipped, the tree ends FAILED.', false);
      this.tree.schedule(0);
    } else if (status === 401) {
      storeToken(null);
      this.token.value = '';
      this.tokenRow.hidden = false;
      this.token.focus();
      this.say('Token refused: enter the token of fanout.http.auth.token.', true);
    } else if (status === 409) {
      this.form.hidden = true;
      this.say('The tree is already done; there is nothing to cancel.', false);
      this.tree.schedule(0);
    } else {
      this.say('Cancel failed (HTTP ' + status + ').' + message, true);
    }
  };

  CancelControl.prototype.say = function (text, problem) {
    this.result.textContent = text;
    this.result.className = 'cancel-result' + (problem ? ' problem' : '');
    this.el.hidden = false;
  };

  function TreeView(id) {
    this.id = id;
    this.timer = null;
    this.disposed = false;
    this.summary = null;
    clear(main);
    this.status = h('p', {class: 'live-status', role: 'status', 'aria-live': 'polite'}, 'Loading…');
    this.header = h('section', {class: 'summary', 'aria-labelledby': 'tree-title'});
    this.root = new ChildList(this, null, 'Runs of the root event');
    this.picture = new FanOutPicture(this);
    this.cancel = new CancelControl(this);
    this.runs = h('section', {class: 'runs', 'aria-labelledby': 'runs-title', hidden: true},
      h('h2', {id: 'runs-title'}, 'Runs'), this.root.el);
    main.appendChild(h('nav', {class: 'crumbs', 'aria-label': 'Breadcrumb'},
      h('a', {href: '#/'}, 'Trees'), ' › ', h('span', {'aria-current': 'page'}, id)));
    main.appendChild(this.status);
    main.appendChild(this.header);
    main.appendChild(this.cancel.el);
    main.appendChild(this.picture.el);
    main.appendChild(this.runs);
    document.title = id + ' · Fanout';
    this.tick();
  }

  /** One look at the tree: its summary, then the rows shown; again in a second while it runs. */
  TreeView.prototype.tick = function () {
    var self = this;
    api(treePath(this.id)).then(function (summary) {
      if (self.disposed) {
        return null;
      }
      var first = self.summary === null;
      self.renderSummary(summary);
      self.cancel.update(summary);
      self.runs.hidden = false;
      return Promise.all([first ? self.root.loadMore() : self.root.refresh(),
        self.picture.refresh(first || summary.status !== 'RUNNING')]).then(function () {
        if (self.disposed) {
          return;
        }
        if (summary.status === 'RUNNING') {
          self.schedule(TREE_POLL_MS);
        } else {
          self.status.textContent = 'Done: ' + summary.status.replace('_', ' ') + '.';
        }
      });
    }).catch(function (err) {
      if (self.disposed) {
        return;
      }
      if (err.status === 404 && self.summary === null) {
        self.notFound(err);
      } else if (transient(err)) {
        self.report(err);
        self.schedule(retryDelay(err));
      } else {
        self.report(err);
      }
    });
  };

  TreeView.prototype.schedule = function (ms) {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.tick(); }, ms);
  };

  TreeView.prototype.report = function (err) {
    if (this.disposed) {
      return;
    }
    if (err.status === 0) {
      showConnection('Reconnecting to the Fanout API…');
    }
    this.status.textContent = err.status === 503 ? 'The tree\'s instance is unavailable (rebalancing); retrying…'
      : err.message;
    this.status.className = 'live-status problem';
  };

  TreeView.prototype.notFound = function (err) {
    this.status.hidden = true;
    clear(this.header);
    this.header.className = 'summary not-found';
    this.header.appendChild(h('h1', {id: 'tree-title'}, 'Tree not found'));
    this.header.appendChild(h('p', null, 'There is no tree ', h('code', null, this.id), '. ', err.message));
    this.header.appendChild(h('p', null, h('a', {href: '#/'}, 'See the recent trees')));
    document.title = 'Not found · Fanout';
  };

  TreeView.prototype.renderSummary = function (s) {
    this.summary = s;
    var counts = s.counts || {};
    var running = s.status === 'RUNNING';
    this.status.className = 'live-status';
    this.status.textContent = running ? 'Running; updating every second.' : '';
    clear(this.header);
    this.header.className = 'summary status-' + s.status;
    this.header.appendChild(h('div', {class: 'title-row'},
      h('h1', {id: 'tree-title'}, 'Tree ', h('code', null, s.tree_id)),
      h('span', {id: 'tree-status'}, badge(s.status))));
    this.header.appendChild(h('p', {class: 'artifact'}, 'Artifact ', h('code', null, s.artifact)));
    if (s.cancelled) {
      this.header.appendChild(h('p', {class: 'cancelled', id: 'tree-cancelled'}, 'Cancelled',
        s.cancelled.requested_by ? ' by ' + s.cancelled.requested_by : '', ' at ', time(s.cancelled.requested_at),
        s.cancelled.reason ? ': ' + s.cancelled.reason : ''));
    }
    this.header.appendChild(progressBar(counts, 'Tree progress'));
    var facts = h('dl', {class: 'counts', id: 'tree-counts'});
    function fact(key, label, value) {
      facts.appendChild(h('div', {class: 'fact', 'data-fact': key}, h('dt', null, label), h('dd', null, value)));
    }
    fact('done', 'Done', formatNumber(done(counts)) + ' / ' + formatNumber(counts.total));
    fact('succeeded', 'Succeeded', formatNumber(counts.succeeded));
    fact('failed', 'Failed', formatNumber(counts.failed));
    fact('timed_out', 'Timed out', formatNumber(counts.timed_out));
    fact('skipped', 'Skipped', formatNumber(counts.skipped));
    fact('retries', 'Retries', formatNumber(counts.retries));
    if (counts.compensated || counts.compensation_failed) {
      fact('compensated', 'Compensated', formatNumber(counts.compensated));
      fact('compensation_failed', 'Compensations failed', formatNumber(counts.compensation_failed));
    }
    if (running) {
      fact('running', 'Running', formatNumber(s.running));
      fact('queued', 'Queued', formatNumber(s.queued));
      fact('open_fan_outs', 'Open fan-outs', formatNumber(s.open_fan_outs));
    }
    fact('duration', 'Duration', formatDuration(s.duration_ms));
    fact('started', 'Started', time(s.started_at));
    if (s.finished_at) {
      fact('finished', 'Finished', time(s.finished_at));
    }
    this.header.appendChild(facts);
    if (s.failures && s.failures.length) {
      var list = h('ul', null);
      s.failures.forEach(function (f) {
        list.appendChild(h('li', null, h('strong', null, f.subscription_id), ' ', h('code', null, f.run_id), ': ',
          f.error || 'failed'));
      });
      this.header.appendChild(h('section', {class: 'failures', 'aria-labelledby': 'failures-title'},
        h('h2', {id: 'failures-title'}, 'First failures'), list));
    }
  };

  TreeView.prototype.dispose = function () {
    this.disposed = true;
    clearTimeout(this.timer);
  };

  // ---- routing -------------------------------------------------------------------------------------

  function route() {
    var hash = location.hash || '#/';
    if (hash.indexOf('#/') !== 0) {
      if (!view) {
        hash = '#/';
      } else {
        return;             // an in-page anchor, not a route
      }
    }
    if (view) {
      view.dispose();
    }
    showConnection(null);
    var match = /^#\/trees\/(.+)$/.exec(hash);
    view = match ? new TreeView(decodeURIComponent(match[1])) : new TreeListView();
    main.focus({preventScroll: true});
  }

  window.addEventListener('hashchange', route);
  route();
}());
