(function(){
  var label=document.getElementById('filter-label'), who=document.getElementById('filter-annotator');
  function apply(){
    var l=label?label.value:'', a=who?who.value:'', shown=0;
    document.querySelectorAll('.disagreement').forEach(function(card){
      var ok=(!l||(' '+card.dataset.labels+' ').indexOf(' '+l+' ')>=0)&&(!a||(' '+card.dataset.annotators+' ').indexOf(' '+a+' ')>=0);
      card.style.display=ok?'':'none'; if(ok){shown++;}
    });
    var c=document.getElementById('shown-count'); if(c){c.textContent=shown;}
  }
  if(label){label.addEventListener('change',apply);} if(who){who.addEventListener('change',apply);} apply();
})();
